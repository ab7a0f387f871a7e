//! The guard (a deliberate difference from Consul): a `Host` that does not
//! name the stand-in, and writes or `/_sim/` requests started by another
//! site's page, are refused with 403.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use serde_json::json;

const DROP_ALL: &str = r#"{"path":"^/v1/","drop":true}"#;

/// A request with extra headers (`Host` included), not following redirects.
async fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut r = client_no_redirect().request(m, url);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    if let Some(b) = body {
        r = r.header("content-type", "text/plain").body(b.to_string());
    }
    Resp::read(r.send().await.unwrap()).await
}

#[track_caller]
fn refused(r: &Resp) {
    assert_eq!(r.status, 403, "{}", r.text);
    assert!(r.text.starts_with("Forbidden (stand-in): "), "{}", r.text);
}

#[tokio::test]
async fn another_sites_page_cannot_write_or_reach_sim() {
    let sim = Sim::start(&[]);
    let evil = [("Origin", "http://evil.example")];
    // A text/plain POST needs no preflight: without the guard it would add the rule.
    refused(&send("POST", &sim.url("/_sim/faults"), &evil, Some(DROP_ALL)).await);
    refused(&send("DELETE", &sim.url("/_sim/faults"), &evil, None).await);
    let token = r#"{"PeerName":"evil"}"#;
    refused(&send("POST", &sim.url("/v1/peering/token"), &evil, Some(token)).await);
    refused(&send("PUT", &sim.url("/v1/config"), &evil, Some("{}")).await);
    for site in ["cross-site", "same-site", "Cross-Site"] {
        let h = [("Sec-Fetch-Site", site)];
        refused(&send("POST", &sim.url("/v1/peering/token"), &h, Some(token)).await);
        refused(&send("POST", &sim.url("/_sim/pause"), &h, None).await);
    }
    // Another origin on this very machine is another site too.
    let other_port = [("Origin", "http://127.0.0.1:1")];
    refused(
        &send(
            "POST",
            &sim.url("/v1/peering/token"),
            &other_port,
            Some(token),
        )
        .await,
    );
    // Nothing happened: the API answers, no peering was created.
    get(&sim.url("/v1/peerings")).await.is(200, "[]");
    // Reads stay open, as they change nothing.
    let r = send("GET", &sim.url("/v1/agent/self"), &evil, None).await;
    assert_eq!(r.status, 200);
    let r = send(
        "GET",
        &sim.url("/v1/peerings"),
        &[("Sec-Fetch-Site", "cross-site")],
        None,
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn its_own_pages_and_programs_are_answered() {
    let sim = Sim::start(&[]);
    // The console served by the stand-in: the browser sends its own origin.
    let own = [
        ("Origin", sim.base.as_str()),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    let r = send(
        "POST",
        &sim.url("/v1/peering/token"),
        &own,
        Some(r#"{"PeerName":"ui"}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let origin_only = [("Origin", sim.base.as_str())];
    let r = send("DELETE", &sim.url("/v1/peering/ui"), &origin_only, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let localhost = format!("localhost:{}", sim.port);
    let localhost_origin = format!("http://localhost:{}", sim.port);
    let h = [
        ("Host", localhost.as_str()),
        ("Origin", localhost_origin.as_str()),
    ];
    let r = send("POST", &sim.url("/_sim/pause"), &h, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Behind a reverse proxy (scripts/serve.py, deploy/nginx) the Origin is the
    // proxy's, and the browser says the request is same-origin.
    let proxied = [
        ("Host", "peering_console_consul"),
        ("Origin", "http://127.0.0.1:8080"),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    let r = send(
        "POST",
        &sim.url("/v1/peering/token"),
        &proxied,
        Some(r#"{"PeerName":"px"}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // No Origin and no Sec-Fetch-Site (tests, curl, Node's fetch, the bench).
    post(&sim.url("/_sim/resume"), json!({}))
        .await
        .is(200, r#"{"paused":false}"#);
    let r = send(
        "POST",
        &sim.url("/_sim/faults"),
        &[("Sec-Fetch-Mode", "cors")],
        Some(r#"{"path":"^/v1/x$","status":418}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(get(&sim.url("/v1/x")).await.status, 418);
}

#[tokio::test]
async fn a_host_that_does_not_name_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "index.html", "<html>{{ .ContentPath }}</html>");
    let sim = Sim::start(&[
        "--ui-dir",
        dir.path().to_str().unwrap(),
        "--allowed-host",
        "Consul.Example.Internal:8500",
    ]);
    let next_port = format!("127.0.0.1:{}", sim.port + 1);
    let rebound = format!("attacker.example:{}", sim.port);
    for host in [rebound.as_str(), next_port.as_str(), "localhost"] {
        for path in ["/v1/agent/self", "/ui/", "/_sim/pause"] {
            let method = if path.starts_with("/_sim") {
                "POST"
            } else {
                "GET"
            };
            let r = send(method, &sim.url(path), &[("Host", host)], None).await;
            refused(&r);
            assert!(!r.text.contains("ContentPath") && !r.text.contains("dc1"));
        }
    }
    for host in ["consul.example.internal:8500", "consul-sim:8500"] {
        let r = send("GET", &sim.url("/v1/agent/self"), &[("Host", host)], None).await;
        assert_eq!(r.status, 200, "{host}");
    }
    // An absolute-form target names the host too.
    let mut s = TcpStream::connect(("127.0.0.1", sim.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let req = format!(
        "GET http://attacker.example/v1/agent/self HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        sim.port
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut got = String::new();
    let _ = s.read_to_string(&mut got);
    assert!(got.starts_with("HTTP/1.1 403"), "{got}");
}

#[tokio::test]
async fn the_demo_gateway_port_answers_only_its_own_host() {
    let sim = Sim::start(&["--seed", "demo"]);
    let health = get(&sim.url("/v1/health/service/mesh-gateway"))
        .await
        .json();
    let wan = &health[0]["Service"]["TaggedAddresses"]["wan"];
    let gw = format!(
        "http://{}:{}",
        wan["Address"].as_str().unwrap(),
        wan["Port"]
    );
    let r = send(
        "POST",
        &format!("{gw}/_peer/poke"),
        &[("Host", "attacker.example")],
        Some("{}"),
    )
    .await;
    refused(&r);
    let r = send(
        "POST",
        &format!("{gw}/_peer/poke"),
        &[("Origin", "http://evil.example")],
        Some("{}"),
    )
    .await;
    refused(&r);
}
