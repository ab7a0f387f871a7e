//! consul-sim: a stateful stand-in for the part of Consul's HTTP API that
//! the peering console uses. See README.md.

mod acl;
mod agent;
mod catalog;
mod cli;
mod config_entries;
mod conn;
mod faults;
mod http_util;
mod intentions;
mod layers;
mod link;
mod peering;
mod profile;
mod rules;
mod seed;
mod server;
mod simctl;
mod state;
mod token;
mod ui;

use std::future::IntoFuture;
use std::io::Write;
use std::sync::Arc;

use clap::Parser;

use crate::faults::Fault;
use crate::state::{Config, Sim};

#[tokio::main]
async fn main() {
    let cli = cli::Cli::parse();
    if let Err(msg) = cli.check() {
        use clap::CommandFactory;
        cli::Cli::command()
            .error(clap::error::ErrorKind::ArgumentConflict, msg)
            .exit();
    }
    if let Err(e) = run(cli).await {
        eprintln!("consul-sim: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: cli::Cli) -> Result<(), String> {
    let sim = Sim::new(Config::from_cli(&cli))?;
    {
        let mut faults = sim.faults.lock().unwrap_or_else(|e| e.into_inner());
        for f in &cli.fault {
            faults.push(Fault::parse(f)?);
        }
    }
    let sim = Arc::new(sim);
    acl::bootstrap(&sim);
    catalog::ensure_consul_service(&sim);
    let listener = tokio::net::TcpListener::bind(&cli.listen)
        .await
        .map_err(|e| format!("listen on {}: {e}", cli.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let addr = announced(local);
    let _ = sim.self_addr.set(addr.clone());
    if let Some(seed) = &cli.seed {
        // The demo mesh gateway gets a port of its own on the same address,
        // which forwards peering traffic to this server.
        let gateway = if seed == "demo" {
            let l = tokio::net::TcpListener::bind((local.ip(), 0))
                .await
                .map_err(|e| format!("listen for the mesh gateway: {e}"))?;
            let gw_local = l.local_addr().map_err(|e| e.to_string())?;
            let gw_addr = announced(gw_local);
            let router = server::gateway_router(sim.clone(), audience(&cli, gw_local));
            tokio::spawn(axum::serve(l, router).into_future());
            Some(gw_addr)
        } else {
            None
        };
        seed::apply(&sim, seed, cli.seed_peer.as_deref(), gateway.as_deref())?;
    }
    let ui_cfg = cli.ui_dir.as_ref().map(|dir| ui::Ui {
        dir: dir.clone(),
        content_path: ui::normalize_content_path(&cli.ui_content_path),
    });
    let app = server::router(sim.clone(), ui_cfg, audience(&cli, local));
    let shutdown = shutdown_signal()?;
    tokio::spawn(link::reconciler(sim.clone()));
    println!("consul-sim listening on http://{addr}");
    let _ = std::io::stdout().flush();
    tokio::select! {
        r = axum::serve(
            conn::Listener(listener),
            app.into_make_service_with_connect_info::<conn::Cut>(),
        ) => r.map_err(|e| e.to_string())?,
        _ = shutdown => {}
    }
    let st = sim.lock();
    sim.persist(&st);
    Ok(())
}

/// Whom a listener bound to `local` answers (`layers::guard`).
fn audience(cli: &cli::Cli, local: std::net::SocketAddr) -> layers::Audience {
    layers::Audience {
        ip: local.ip(),
        port: local.port(),
        allowed_hosts: cli
            .allowed_host
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect(),
    }
}

/// The address a listener is announced as (and put in tokens): a wildcard
/// bind as loopback.
fn announced(local: std::net::SocketAddr) -> String {
    if local.ip().is_unspecified() {
        format!("127.0.0.1:{}", local.port())
    } else {
        local.to_string()
    }
}

/// Registers the SIGINT/SIGTERM handlers at once (so a signal that arrives
/// right after the listening line is not lost) and returns a future that
/// resolves on the first of them.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut int = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
        let mut term = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
