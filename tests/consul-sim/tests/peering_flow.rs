//! Two instances really peer: handshake, heartbeats, FAILING, pause/resume,
//! delete/TERMINATED, token rotation, role and same-cluster errors.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

const FAST: [&str; 6] = [
    "--heartbeat-interval",
    "100ms",
    "--heartbeat-timeout",
    "1s",
    "--delete-delay",
    "300ms",
];

fn pair() -> (Sim, Sim) {
    let mut a1 = vec!["--datacenter", "dc1"];
    a1.extend(FAST);
    let mut a2 = vec!["--datacenter", "dc2"];
    a2.extend(FAST);
    (Sim::start(&a1), Sim::start(&a2))
}

async fn peer(dc1: &Sim, dc2: &Sim) {
    let tok = generate(dc1, "dc2").await;
    let r = establish(dc2, "dc1", &tok).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.text, "{}");
    wait_state(dc2, "dc1", "ACTIVE", Duration::from_secs(5)).await;
    wait_state(dc1, "dc2", "ACTIVE", Duration::from_secs(5)).await;
}

#[tokio::test]
async fn handshake_reaches_active_on_both_sides() {
    let (dc1, dc2) = pair();
    let tok = generate(&dc1, "dc2").await;
    let r = establish(&dc2, "dc1", &tok).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.text, "{}");
    let s = peering_state(&dc2, "dc1").await;
    assert!(s == "ESTABLISHING" || s == "ACTIVE", "{s}");
    wait_state(&dc2, "dc1", "ACTIVE", Duration::from_secs(5)).await;
    wait_state(&dc1, "dc2", "ACTIVE", Duration::from_secs(5)).await;

    let acc = get(&dc1.url("/v1/peering/dc2")).await.json();
    let dia = get(&dc2.url("/v1/peering/dc1")).await.json();
    assert_eq!(dia["PeerID"], acc["ID"]);
    assert!(acc.get("PeerID").is_none());
    assert!(acc.get("PeerServerAddresses").is_none());
    assert_eq!(
        dia["PeerServerAddresses"][0],
        dc1.base.trim_start_matches("http://")
    );
    assert!(dia["PeerServerName"]
        .as_str()
        .unwrap()
        .starts_with("server.dc1.peering."));
    assert_eq!(dia["PeerCAPems"].as_array().unwrap().len(), 1);
    assert_eq!(dia["Remote"]["Datacenter"], "dc1");
    assert_eq!(acc["Remote"]["Datacenter"], "dc2");
    assert!(acc["StreamStatus"]["LastHeartbeat"].is_string());
    assert!(dia["StreamStatus"]["LastReceive"].is_string());
    assert_eq!(acc["StreamStatus"]["ImportedServices"], json!([]));

    // The used token cannot be used again.
    let r = establish(&dc2, "dc1", &tok).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(
        r.text,
        "a new peering token must be generated: invalid peering establishment secret"
    );

    // Roles never switch.
    let r = post(&dc2.url("/v1/peering/token"), json!({"PeerName": "dc1"})).await;
    assert_eq!(r.status, 500);
    assert_eq!(
        r.text,
        "cannot create peering with name: \"dc1\"; there is already an established peering"
    );
    let tok3 = generate(&dc2, "other").await;
    let r = establish(&dc1, "dc2", &tok3).await;
    assert_eq!(r.status, 500);
    assert_eq!(
        r.text,
        "cannot create peering with name: \"dc2\"; there is an existing peering expecting to be dialed"
    );

    // Tokens from the same cluster are refused.
    let own = generate(&dc1, "self").await;
    let r = establish(&dc1, "loop", &own).await;
    assert_eq!(r.status, 500);
    assert!(
        r.text
            .starts_with("cannot create a peering within the same cluster \"server.dc1.peering."),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn rotated_token_is_refused() {
    let (dc1, dc2) = pair();
    let old = generate(&dc1, "dc2").await;
    let _new = generate(&dc1, "dc2").await;
    let r = establish(&dc2, "dc1", &old).await;
    assert_eq!(r.status, 403);
    assert!(r.text.contains("a new peering token must be generated"));
    // Establish wrote the dialer record before the exchange failed.
    assert_eq!(peering_state(&dc2, "dc1").await, "PENDING");
}

#[tokio::test]
async fn establish_token_errors() {
    let (dc1, dc2) = pair();
    let url = dc2.url("/v1/peering/establish");
    let r = post(&url, json!({"PeeringToken": "x"})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text,
        "PeerName is required in the payload when establishing a peering."
    );
    let r = post(&url, json!({"PeerName": "dc1"})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text,
        "PeeringToken is required in the payload when establishing a peering."
    );
    let r = post(&url, json!({"PeerName": "dc1", "PeeringToken": "%%%"})).await;
    assert_eq!(r.status, 500);
    assert!(r.text.starts_with("illegal base64 data"), "{}", r.text);
    use base64::Engine;
    let enc = |v: serde_json::Value| {
        base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&v).unwrap())
    };
    let r = post(
        &url,
        json!({"PeerName": "dc1", "PeeringToken": enc(json!({"ServerAddresses": []}))}),
    )
    .await;
    assert_eq!(r.status, 500);
    assert_eq!(r.text, "peering token server addresses value is empty");
    // Unreachable acceptor: a multi-error after about 3 s.
    let r = post(
        &dc1.url("/v1/peering/token"),
        json!({"PeerName": "far", "ServerExternalAddresses": ["127.0.0.1:1"]}),
    )
    .await;
    let tok = r.json()["PeeringToken"].as_str().unwrap().to_string();
    let started = Instant::now();
    let r = establish(&dc2, "far", &tok).await;
    assert!(started.elapsed() >= Duration::from_millis(2500));
    assert_eq!(r.status, 500);
    assert!(
        r.text
            .contains("failed to exchange peering secret through address \"127.0.0.1:1\""),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn pause_gives_failing_and_resume_recovers() {
    let (dc1, dc2) = pair();
    peer(&dc1, &dc2).await;
    post(&dc1.url("/_sim/pause"), json!({})).await;
    wait_state(&dc2, "dc1", "FAILING", Duration::from_secs(5)).await;
    wait_state(&dc1, "dc2", "FAILING", Duration::from_secs(5)).await;
    let hb1 =
        get(&dc2.url("/v1/peering/dc1")).await.json()["StreamStatus"]["LastHeartbeat"].clone();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hb2 =
        get(&dc2.url("/v1/peering/dc1")).await.json()["StreamStatus"]["LastHeartbeat"].clone();
    assert_eq!(hb1, hb2, "heartbeat times stop advancing while FAILING");
    post(&dc1.url("/_sim/resume"), json!({})).await;
    wait_state(&dc2, "dc1", "ACTIVE", Duration::from_secs(5)).await;
    wait_state(&dc1, "dc2", "ACTIVE", Duration::from_secs(5)).await;
}

#[tokio::test]
async fn delete_terminates_the_peer() {
    let (dc1, dc2) = pair();
    peer(&dc1, &dc2).await;
    let r = delete(&dc1.url("/v1/peering/dc2")).await;
    assert_eq!(r.status, 200);
    let p = get(&dc1.url("/v1/peering/dc2")).await.json();
    assert_eq!(p["State"], "DELETING");
    assert!(p["DeletedAt"].is_string());
    // Writes are refused while DELETING.
    let r = post(&dc1.url("/v1/peering/token"), json!({"PeerName": "dc2"})).await;
    assert_eq!(r.status, 500);
    assert_eq!(
        r.text,
        "failed to write peering: cannot write to peering that is marked for deletion"
    );
    wait_state(&dc1, "dc2", "GONE", Duration::from_secs(5)).await;
    wait_state(&dc2, "dc1", "TERMINATED", Duration::from_secs(5)).await;
    // A TERMINATED peering can be re-established from a fresh token (same record).
    let id = get(&dc2.url("/v1/peering/dc1")).await.json()["ID"].clone();
    let tok = generate(&dc1, "dc2").await;
    let r = establish(&dc2, "dc1", &tok).await;
    assert_eq!(r.status, 200, "{}", r.text);
    wait_state(&dc2, "dc1", "ACTIVE", Duration::from_secs(5)).await;
    assert_eq!(get(&dc2.url("/v1/peering/dc1")).await.json()["ID"], id);
    // And a TERMINATED peering can be deleted.
    delete(&dc1.url("/v1/peering/dc2")).await;
    wait_state(&dc2, "dc1", "TERMINATED", Duration::from_secs(5)).await;
    assert_eq!(delete(&dc2.url("/v1/peering/dc1")).await.status, 200);
    wait_state(&dc2, "dc1", "GONE", Duration::from_secs(5)).await;
}

#[tokio::test]
async fn dialer_delete_terminates_acceptor() {
    let (dc1, dc2) = pair();
    peer(&dc1, &dc2).await;
    delete(&dc2.url("/v1/peering/dc1")).await;
    wait_state(&dc2, "dc1", "GONE", Duration::from_secs(5)).await;
    wait_state(&dc1, "dc2", "TERMINATED", Duration::from_secs(5)).await;
}

#[tokio::test]
async fn blocking_query_wakes_on_write() {
    let sim = Sim::start(&[]);
    let r = get(&sim.url("/v1/peerings")).await;
    let idx: u64 = r.header("x-consul-index").unwrap().parse().unwrap();
    let url = sim.url(&format!("/v1/peerings?index={idx}&wait=5s"));
    let waiter = tokio::spawn(async move {
        let started = Instant::now();
        let r = get(&url).await;
        (started.elapsed(), r)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    generate(&sim, "late").await;
    let (elapsed, r) = waiter.await.unwrap();
    assert!(elapsed >= Duration::from_millis(250));
    assert!(elapsed < Duration::from_secs(4));
    let idx2: u64 = r.header("x-consul-index").unwrap().parse().unwrap();
    assert!(idx2 > idx);
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    // A wait with nothing changing returns after the wait.
    let started = Instant::now();
    let r = get(&sim.url(&format!("/v1/peerings?index={idx2}&wait=300ms"))).await;
    assert_eq!(r.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(280));
}

#[tokio::test]
async fn restart_from_data_dir_recovers() {
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let p1 = d1.path().to_str().unwrap().to_string();
    let p2 = d2.path().to_str().unwrap().to_string();
    let mut a1 = vec!["--datacenter", "dc1", "--data-dir", &p1];
    a1.extend(FAST);
    let mut a2 = vec!["--datacenter", "dc2", "--data-dir", &p2];
    a2.extend(FAST);
    let mut dc1 = Sim::start(&a1);
    let dc2 = Sim::start(&a2);
    peer(&dc1, &dc2).await;
    let id = get(&dc1.url("/v1/peering/dc2")).await.json()["ID"].clone();
    dc1.stop();
    wait_state(&dc2, "dc1", "FAILING", Duration::from_secs(5)).await;
    let listen = format!("127.0.0.1:{}", dc1.port);
    let dc1 = Sim::start_on(&listen, &a1);
    assert_eq!(get(&dc1.url("/v1/peering/dc2")).await.json()["ID"], id);
    wait_state(&dc1, "dc2", "ACTIVE", Duration::from_secs(5)).await;
    wait_state(&dc2, "dc1", "ACTIVE", Duration::from_secs(5)).await;
}

#[tokio::test]
async fn establish_against_paused_acceptor_times_out() {
    let (dc1, dc2) = pair();
    let tok = generate(&dc1, "dc2").await;
    post(&dc1.url("/_sim/pause"), json!({})).await;
    let started = Instant::now();
    let r = establish(&dc2, "dc1", &tok).await;
    assert!(started.elapsed() >= Duration::from_millis(2500));
    assert_eq!(r.status, 500);
    assert!(
        r.text.starts_with(
            "1 error occurred:\n\t* failed to exchange peering secret through address "
        ),
        "{}",
        r.text
    );
    assert!(r.text.contains("i/o timeout"), "{}", r.text);
    // After the partition heals, the same token still works (its secret was never used).
    post(&dc1.url("/_sim/resume"), json!({})).await;
    let r = establish(&dc2, "dc1", &tok).await;
    assert_eq!(r.status, 200, "{}", r.text);
    wait_state(&dc1, "dc2", "ACTIVE", Duration::from_secs(5)).await;
}
