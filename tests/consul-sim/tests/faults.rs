//! Fault rules seen from the wire: `drop` and `hold_after_ms`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;

/// Sends one raw HTTP/1.1 request and returns every byte the server sent
/// before closing (an error such as a reset counts as nothing).
fn raw_exchange(port: u16, request: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).expect("write request");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                panic!("the server kept the connection open without answering")
            }
            Err(_) => break,
        }
    }
    got
}

const GET_PEERINGS: &str =
    "GET /v1/peerings HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

#[tokio::test]
async fn drop_closes_the_connection_without_a_response() {
    let sim = Sim::start(&[
        "--fault",
        r#"{"path": "^/v1/peerings", "drop": true, "times": 2}"#,
    ]);
    let port = sim.port;
    let got = tokio::task::spawn_blocking(move || raw_exchange(port, GET_PEERINGS))
        .await
        .unwrap();
    assert!(
        got.is_empty(),
        "expected no response bytes, got {:?}",
        String::from_utf8_lossy(&got)
    );

    // An HTTP client sees a transport error, not a status.
    let err = client()
        .get(sim.url("/v1/peerings"))
        .send()
        .await
        .expect_err("connection should be dropped");
    assert!(err.status().is_none(), "{err:?}");

    // The process survived (no panic, no abort) and the rule is used up.
    let got = tokio::task::spawn_blocking(move || raw_exchange(port, GET_PEERINGS))
        .await
        .unwrap();
    assert!(got.starts_with(b"HTTP/1.1 200 OK"), "{got:?}");
    assert_eq!(get(&sim.url("/v1/peerings")).await.status, 200);
}
