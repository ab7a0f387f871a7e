//! The listener: TCP connections that a `drop` fault can cut without any
//! answer.
//!
//! Every accepted connection carries a [`Cut`] switch, handed to handlers as
//! `ConnectInfo<Cut>`. Once a handler pulls it, the connection refuses every
//! further read and write, so hyper fails to write the response and closes
//! the socket without sending a byte: the client sees the connection end with
//! no response (a browser `fetch` rejects with a network error). This needs no
//! panic, so it also works in a release build with `panic = "abort"`.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections can be cut (see the module docs).
pub(crate) struct Listener(pub(crate) TcpListener);

/// The switch that cuts one connection.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cut(Arc<AtomicBool>);

impl Cut {
    /// From now on the connection neither reads nor writes; hyper gives up
    /// on it and drops the socket, which closes it.
    pub(crate) fn cut(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    fn is_cut(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// One accepted connection.
pub(crate) struct Conn {
    io: TcpStream,
    cut: Cut,
}

impl axum::serve::Listener for Listener {
    type Io = Conn;
    type Addr = Cut;

    async fn accept(&mut self) -> (Conn, Cut) {
        // axum's own impl retries (and backs off on) accept errors.
        let (io, _) = axum::serve::Listener::accept(&mut self.0).await;
        let cut = Cut::default();
        (
            Conn {
                io,
                cut: cut.clone(),
            },
            cut,
        )
    }

    fn local_addr(&self) -> io::Result<Cut> {
        Ok(Cut::default())
    }
}

impl Connected<IncomingStream<'_, Listener>> for Cut {
    fn connect_info(stream: IncomingStream<'_, Listener>) -> Self {
        stream.remote_addr().clone()
    }
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "consul-sim fault: dropped connection",
    )
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.cut.is_cut() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.cut.is_cut() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.cut.is_cut() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.cut.is_cut() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
