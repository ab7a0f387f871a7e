//! `--response-header`: Consul's `http_config.response_headers` on every
//! response, UI and API alike.

mod common;

use std::process::Command;

use common::*;

const CSP: &str = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

#[tokio::test]
async fn added_to_every_response() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "index.html", "<html>{{ .ContentPath }}</html>");
    write_file(dir.path(), "app.js", "console.log(1)");
    let csp = format!("Content-Security-Policy: {CSP}");
    let sim = Sim::start(&[
        "--ui-dir",
        dir.path().to_str().unwrap(),
        "--response-header",
        &csp,
        "--response-header",
        "X-Frame-Options: SAMEORIGIN",
        "--response-header",
        "x-frame-options:DENY",
        "--response-header",
        "X-Consul-KnownLeader: false",
    ]);
    let c = client_no_redirect();
    for (method, path, status) in [
        ("GET", "/v1/agent/self", 200),
        ("GET", "/v1/peering/nope", 404),
        ("PUT", "/v1/peerings", 405),
        ("GET", "/v1/no/such/path", 404),
        ("GET", "/", 301),
        ("GET", "/ui/", 200),
        ("GET", "/ui/deep/link", 200),
        ("GET", "/ui/app.js", 200),
        ("GET", "/elsewhere", 404),
    ] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = c.request(m, sim.url(path)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{method} {path}");
        let h = r.headers();
        assert_eq!(h["content-security-policy"], CSP, "{method} {path}");
        // One value per name, the last one given wins (a map in Consul).
        let xfo: Vec<_> = h.get_all("x-frame-options").iter().collect();
        assert_eq!(xfo, ["DENY"], "{method} {path}");
    }
    // A header the agent sets itself wins over the configured one.
    let r = get(&sim.url("/v1/agent/self")).await;
    assert_eq!(r.header("x-consul-knownleader").as_deref(), Some("true"));
}

#[test]
fn bad_syntax_is_refused_at_start() {
    for (arg, want) in [
        ("X-Frame-Options DENY", "expected 'Name: value'"),
        ("Bad Name: v", "\"Bad Name\" is not a valid header name"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_consul-sim"))
            .args(["--listen", "127.0.0.1:0", "--response-header", arg])
            .output()
            .expect("run consul-sim");
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(out.stdout.is_empty(), "{arg}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--response-header"), "{err}");
        assert!(err.contains(want), "{err}");
    }
}
