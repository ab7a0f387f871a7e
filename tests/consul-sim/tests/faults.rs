//! Fault rules seen from the wire: `drop` and `hold_after_ms`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

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

/// A client that gives up after 300 ms.
fn impatient() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

/// `GET /v1/peerings` addressed to the stand-in on `port` (the guard refuses
/// a `Host` that does not name it).
fn get_peerings(port: u16) -> String {
    format!("GET /v1/peerings HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
}

#[tokio::test]
async fn drop_closes_the_connection_without_a_response() {
    let sim = Sim::start(&[
        "--fault",
        r#"{"path": "^/v1/peerings", "drop": true, "times": 2}"#,
    ]);
    let port = sim.port;
    let got = tokio::task::spawn_blocking(move || raw_exchange(port, &get_peerings(port)))
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
    let got = tokio::task::spawn_blocking(move || raw_exchange(port, &get_peerings(port)))
        .await
        .unwrap();
    assert!(got.starts_with(b"HTTP/1.1 200 OK"), "{got:?}");
    assert_eq!(get(&sim.url("/v1/peerings")).await.status, 200);
}

#[tokio::test]
async fn hold_after_applies_the_write_then_answers_late() {
    let sim = Sim::start(&[]);
    let rule = json!({"path": "^/v1/config", "method": "PUT", "hold_after_ms": 1500, "times": 1});
    post(&sim.url("/_sim/faults"), rule.clone()).await;

    // The client gives up long before the answer; the write has landed anyway.
    let entry = json!({"Kind": "exported-services", "Name": "default",
        "Services": [{"Name": "api", "Consumers": [{"Peer": "dc2"}]}]});
    let err = impatient()
        .put(sim.url("/v1/config"))
        .json(&entry)
        .send()
        .await
        .expect_err("the answer is held past the client's timeout");
    assert!(err.is_timeout(), "{err:?}");
    let r = get(&sim.url("/v1/config/exported-services/default")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["Services"][0]["Name"], "api");

    // A patient client gets the real answer, after the hold.
    post(&sim.url("/_sim/faults"), rule).await;
    let started = Instant::now();
    let r = put(&sim.url("/v1/config?cas=0"), entry).await;
    assert!(started.elapsed() >= Duration::from_millis(1400));
    assert_eq!(r.status, 200);
    assert_eq!(r.text, "false", "cas=0 loses: the first write is there");
}

/// The held handler is not cancelled when the client leaves mid-way: a slow
/// establish (the acceptor delays the secret exchange) still finishes.
#[tokio::test]
async fn hold_after_is_not_cancelled_by_a_client_that_leaves() {
    let dc1 = Sim::start(&[
        "--datacenter",
        "dc1",
        "--heartbeat-interval",
        "100ms",
        "--fault",
        r#"{"path": "^/_peer/exchange", "delay_ms": 800, "times": 1}"#,
    ]);
    let dc2 = Sim::start(&[
        "--datacenter",
        "dc2",
        "--heartbeat-interval",
        "100ms",
        "--fault",
        r#"{"path": "^/v1/peering/establish", "hold_after_ms": 100, "times": 1}"#,
    ]);
    let tok = generate(&dc1, "dc2").await;
    let err = impatient()
        .post(dc2.url("/v1/peering/establish"))
        .json(&json!({"PeerName": "dc1", "PeeringToken": tok}))
        .send()
        .await
        .expect_err("the exchange outlasts the client's timeout");
    assert!(err.is_timeout(), "{err:?}");
    wait_state(&dc2, "dc1", "ACTIVE", Duration::from_secs(5)).await;
    wait_state(&dc1, "dc2", "ACTIVE", Duration::from_secs(5)).await;
}
