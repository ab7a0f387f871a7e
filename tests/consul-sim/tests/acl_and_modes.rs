//! ACL enforcement and texts, peering-disabled mode, faults, `/_sim/stream`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

#[tokio::test]
async fn acl_denials_and_filtering() {
    let sim = Sim::start(&["--acl-initial-management-token", ROOT]);
    anonymous_unknown_and_management_tokens(&sim).await;
    let (acc, reader) = reader_may_read_but_not_write(&sim).await;
    operator_implies_peering_write(&sim).await;
    lists_are_filtered(&sim, &reader).await;
    config_entry_denials_are_plain(&sim, &acc, &reader).await;
    token_self_and_authorize(&sim, &acc, &reader).await;
    authorize_refusals(&sim).await;
    // Deleting a token makes it unknown.
    let r = req(
        "DELETE",
        &sim.url(&format!("/v1/acl/token/{acc}")),
        None,
        Some(ROOT),
    )
    .await;
    assert_eq!(r.status, 200);
    let r = req("GET", &sim.url("/v1/peerings"), None, Some(&reader)).await;
    assert_eq!(r.status, 403);
}

/// The anonymous token (no token), an unknown secret and the management token.
async fn anonymous_unknown_and_management_tokens(sim: &Sim) {
    let r = get(&sim.url("/v1/peerings")).await;
    assert_eq!(
        r.header("x-consul-default-acl-policy").as_deref(),
        Some("deny")
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        r.text,
        "Permission denied: anonymous token lacks permission 'peering:read'. The anonymous token is used implicitly when a request does not specify a token."
    );
    let r = req("GET", &sim.url("/v1/peerings"), None, Some("nope")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.text, "ACL not found");
    let r = req("GET", &sim.url("/v1/peerings"), None, Some(ROOT)).await;
    assert_eq!(r.status, 200);
    let r = get(&sim.url("/v1/agent/self")).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.text,
        "Permission denied: anonymous token lacks permission 'agent:read' on \"consul-sim-dc1\". The anonymous token is used implicitly when a request does not specify a token."
    );
    let r = req("GET", &sim.url("/v1/agent/self"), None, Some(ROOT)).await;
    assert_eq!(r.status, 200);
}

/// A token with `peering = "read"`: its reads pass, a write is denied by
/// AccessorID, and the token may come as `?token=` or `Authorization: Bearer`.
/// Returns its AccessorID and secret.
async fn reader_may_read_but_not_write(sim: &Sim) -> (String, String) {
    let (acc, reader) = make_token(sim, "peer-reader", "peering = \"read\"\nservice \"web\" { policy = \"read\" }\nnode_prefix \"\" { policy = \"read\" }").await;
    let r = req("GET", &sim.url("/v1/peerings"), None, Some(&reader)).await;
    assert_eq!(r.status, 200);
    let r = req(
        "POST",
        &sim.url("/v1/peering/token"),
        Some(json!({"PeerName": "dc2"})),
        Some(&reader),
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.text,
        format!(
            "Permission denied: token with AccessorID '{acc}' lacks permission 'peering:write'"
        )
    );
    // Name validation runs before the ACL check.
    let r = req(
        "POST",
        &sim.url("/v1/peering/token"),
        Some(json!({"PeerName": "Bad"})),
        Some(&reader),
    )
    .await;
    assert_eq!(r.status, 500);
    // Token via ?token= and Authorization: Bearer.
    let r = get(&sim.url(&format!("/v1/peerings?token={reader}"))).await;
    assert_eq!(r.status, 200);
    let r = client()
        .get(sim.url("/v1/peerings"))
        .header("Authorization", format!("Bearer {reader}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    (acc, reader)
}

async fn operator_implies_peering_write(sim: &Sim) {
    // operator:write implies peering:write when there is no peering rule.
    let (_, op) = make_token(sim, "operator", "operator = \"write\"").await;
    let r = req(
        "POST",
        &sim.url("/v1/peering/token"),
        Some(json!({"PeerName": "dc2"})),
        Some(&op),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn lists_are_filtered(sim: &Sim, reader: &str) {
    // List filtering with the header.
    for svc in ["web", "db"] {
        let r = req(
            "PUT",
            &sim.url("/v1/catalog/register"),
            Some(json!({"Node": "n1", "Address": "10.0.0.1", "Service": {"Service": svc}})),
            Some(ROOT),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = req("GET", &sim.url("/v1/catalog/services"), None, Some(reader)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"web": []}));
    assert_eq!(
        r.header("x-consul-results-filtered-by-acls").as_deref(),
        Some("true")
    );
}

async fn config_entry_denials_are_plain(sim: &Sim, acc: &str, reader: &str) {
    // Config entry denials are plain (not gRPC-wrapped).
    let r = req(
        "PUT",
        &sim.url("/v1/config"),
        Some(json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "a", "Action": "allow"}]})),
        Some(reader),
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.text,
        format!("Permission denied: token with AccessorID '{acc}' lacks permission 'intention:write' on \"web\"")
    );
}

async fn token_self_and_authorize(sim: &Sim, acc: &str, reader: &str) {
    // token/self and authorize.
    let r = req("GET", &sim.url("/v1/acl/token/self"), None, Some(reader)).await;
    assert_eq!(r.status, 200);
    let t = r.json();
    assert_eq!(t["AccessorID"], acc);
    assert_eq!(t["Policies"][0]["Name"], "peer-reader");
    for token in [Some("nope"), None] {
        req("GET", &sim.url("/v1/acl/token/self"), None, token)
            .await
            .is(403, "token does not exist: ACL not found");
    }
    let r = req(
        "POST",
        &sim.url("/v1/internal/acl/authorize"),
        Some(json!([
            {"Resource": "peering", "Access": "read"},
            {"Resource": "peering", "Access": "write"},
            {"Resource": "service", "Segment": "web", "Access": "read"},
            {"Resource": "service", "Segment": "db", "Access": "read"}
        ])),
        Some(reader),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let a = r.json();
    let allows: Vec<bool> = a
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["Allow"].as_bool().unwrap())
        .collect();
    assert_eq!(allows, vec![true, false, true, false]);
}

/// `authorize` refuses more than 64 items, an unknown resource and an access
/// level the resource lacks.
async fn authorize_refusals(sim: &Sim) {
    let many: Vec<_> = (0..65)
        .map(|_| json!({"Resource": "peering", "Access": "read"}))
        .collect();
    let r = req(
        "POST",
        &sim.url("/v1/internal/acl/authorize"),
        Some(json!(many)),
        Some(ROOT),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text,
        "Refusing to process more than 64 authorizations at once"
    );
    // An unknown resource, or an access level the resource lacks: the whole
    // request fails with `acl.Enforce`'s error (400).
    let authorize = |items: serde_json::Value| {
        let url = sim.url("/v1/internal/acl/authorize");
        async move { req("POST", &url, Some(items), Some(ROOT)).await }
    };
    let r = authorize(json!([
        {"Resource": "peering", "Access": "read"},
        {"Resource": "bogus", "Access": "read"}
    ]))
    .await;
    r.is(400, "Invalid ACL resource requested: \"bogus\"");
    authorize(json!([{"Resource": "peering", "Access": "list"}]))
        .await
        .is(400, "Invalid access level for peering resource: list");
    let r = authorize(json!([{"Resource": "key", "Segment": "x", "Access": "LIST"}])).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()[0]["Access"], "LIST");
    assert_eq!(r.json()[0]["Allow"], true);
}

#[tokio::test]
async fn acl_endpoints_when_disabled() {
    let sim = Sim::start(&[]);
    let r = get(&sim.url("/v1/acl/token/self")).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.text, "ACL support disabled");
    let r = post(&sim.url("/v1/internal/acl/authorize"), json!([])).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn peering_disabled_mode() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "index.html", "{{ .PeeringEnabled }}");
    let sim = Sim::start(&[
        "--peering-disabled",
        "--ui-dir",
        dir.path().to_str().unwrap(),
    ]);
    for (m, path, body) in [
        ("GET", "/v1/peerings", None),
        ("GET", "/v1/peering/x", None),
        ("POST", "/v1/peering/token", Some(json!({"PeerName": "x"}))),
    ] {
        let r = req(m, &sim.url(path), body, None).await;
        assert_eq!(r.status, 500, "{path}");
        assert_eq!(r.text, "peering must be enabled to use this endpoint");
    }
    assert_eq!(get(&sim.url("/ui/")).await.text, "false");
}

#[tokio::test]
async fn faults_apply_and_clear() {
    let sim = Sim::start(&[
        "--fault",
        r#"{"path": "^/v1/agent/self", "status": 503, "body": "boom", "times": 1}"#,
    ]);
    let r = get(&sim.url("/v1/agent/self")).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.text, "boom");
    assert_eq!(get(&sim.url("/v1/agent/self")).await.status, 200);

    post(
        &sim.url("/_sim/faults"),
        json!({"path": "^/v1/peerings", "method": "GET", "delay_ms": 400}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(get(&sim.url("/v1/peerings")).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(380));
    assert_eq!(delete(&sim.url("/_sim/faults")).await.status, 200);

    post(
        &sim.url("/_sim/faults"),
        json!({"path": "^/v1/peerings", "malformed_json": true}),
    )
    .await;
    let r = get(&sim.url("/v1/peerings")).await;
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());
    delete(&sim.url("/_sim/faults")).await;

    post(
        &sim.url("/_sim/faults"),
        json!({"path": "^/v1/peerings", "drop": true, "times": 1}),
    )
    .await;
    let r = client().get(sim.url("/v1/peerings")).send().await;
    assert!(r.is_err(), "connection should be dropped");
    assert_eq!(get(&sim.url("/v1/peerings")).await.status, 200);

    // A CAS race: the read-modify-write loses once, then succeeds.
    let entry = json!({"Kind": "exported-services", "Name": "default",
        "Services": [{"Name": "api", "Consumers": [{"Peer": "dc2"}]}]});
    assert_eq!(
        put(&sim.url("/v1/config"), entry.clone()).await.text,
        "true"
    );
    let mi = get(&sim.url("/v1/config/exported-services/default"))
        .await
        .json()["ModifyIndex"]
        .as_u64()
        .unwrap();
    post(
        &sim.url("/_sim/faults"),
        json!({"path": "^/v1/config", "method": "PUT", "cas_race": true, "times": 1}),
    )
    .await;
    let r = put(&sim.url(&format!("/v1/config?cas={mi}")), entry.clone()).await;
    assert_eq!(r.text, "false");
    let mi2 = get(&sim.url("/v1/config/exported-services/default"))
        .await
        .json()["ModifyIndex"]
        .as_u64()
        .unwrap();
    assert!(mi2 > mi);
    let r = put(&sim.url(&format!("/v1/config?cas={mi2}")), entry).await;
    assert_eq!(r.text, "true");

    let r = post(&sim.url("/_sim/faults"), json!({"path": "("})).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn sim_stream_and_bulk_peerings() {
    let sim = Sim::start(&[]);
    let r = post(&sim.url("/_sim/peerings?count=12"), json!({})).await;
    assert_eq!(r.status, 200);
    let list = get(&sim.url("/v1/peerings")).await.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 12);
    let states: std::collections::BTreeSet<&str> =
        list.iter().map(|p| p["State"].as_str().unwrap()).collect();
    for s in ["ACTIVE", "PENDING", "FAILING", "ESTABLISHING", "TERMINATED"] {
        assert!(states.contains(s), "{s} missing in {states:?}");
    }
    let name = list[0]["Name"].as_str().unwrap().to_string();
    let r = post(
        &sim.url("/_sim/stream"),
        json!({"peer": name, "last_heartbeat": "2020-01-02T03:04:05Z"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let p = get(&sim.url(&format!("/v1/peering/{name}"))).await.json();
    assert_eq!(p["StreamStatus"]["LastHeartbeat"], "2020-01-02T03:04:05Z");
    let r = post(
        &sim.url("/_sim/stream"),
        json!({"peer": name, "last_heartbeat": null, "connected": true}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let p = get(&sim.url(&format!("/v1/peering/{name}"))).await.json();
    assert!(p["StreamStatus"]["LastHeartbeat"].is_null());
    assert_eq!(p["State"], "ACTIVE");
    let r = post(
        &sim.url("/_sim/stream"),
        json!({"peer": name, "last_send": 5}),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = post(&sim.url("/_sim/stream"), json!({"peer": "nope"})).await;
    assert_eq!(r.status, 404);
}
