//! Config entries (CAS, validation, precedence) and services flowing to a peer.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;

#[tokio::test]
async fn config_entries_cas_and_validation() {
    let sim = Sim::start(&[]);
    cas_creates_and_updates(&sim).await;
    lists_and_not_found(&sim).await;
    validation_texts(&sim).await;
    // Delete: with cas true/false, without `{}`.
    let r = req(
        "DELETE",
        &sim.url("/v1/config/service-intentions/web?cas=1"),
        None,
        None,
    )
    .await;
    assert_eq!(r.text, "false");
    let r = delete(&sim.url("/v1/config/service-intentions/web")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, "{}");
    assert_eq!(
        get(&sim.url("/v1/config/service-intentions/web"))
            .await
            .status,
        404
    );
}

/// `?cas=0` creates only; a stale index loses and the current one wins,
/// keeping `CreateIndex`; the entry comes back normalised and sorted.
async fn cas_creates_and_updates(sim: &Sim) {
    let entry = json!({
        "Kind": "service-intentions",
        "Name": "web",
        "Meta": {"owner": "team-a"},
        "JWT": {"Providers": [{"Name": "okta"}]},
        "Sources": [
            {"Name": "*", "Action": "deny"},
            {"Name": "api", "Peer": "dc2", "Action": "Allow", "Description": "from dc2"},
            {"Name": "billing", "Permissions": [{"Action": "allow", "HTTP": {"PathPrefix": "/pay", "Methods": ["GET"]}}]}
        ]
    });
    // cas=0: create only.
    let r = put(&sim.url("/v1/config?cas=0"), entry.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.text, "true");
    let r = put(&sim.url("/v1/config?cas=0"), entry.clone()).await;
    assert_eq!(r.text, "false");
    let r = get(&sim.url("/v1/config/service-intentions/web")).await;
    assert_eq!(r.status, 200);
    assert!(r.header("x-consul-index").is_some());
    let e = r.json();
    assert_eq!(e["Kind"], "service-intentions");
    assert_eq!(e["Sources"][0]["Name"], "api");
    assert_eq!(e["Sources"][0]["Precedence"], 9);
    assert_eq!(e["Sources"][0]["Action"], "allow");
    assert_eq!(e["Sources"][0]["Type"], "consul");
    assert_eq!(e["Sources"][1]["Name"], "billing");
    assert_eq!(e["Sources"][2]["Name"], "*");
    assert_eq!(e["Sources"][2]["Precedence"], 8);
    assert_eq!(e["JWT"], json!({"Providers": [{"Name": "okta"}]}));
    assert_eq!(e["Meta"]["owner"], "team-a");
    assert_eq!(
        e["Sources"][1]["Permissions"][0]["HTTP"]["PathPrefix"],
        "/pay"
    );
    let mi = e["ModifyIndex"].as_u64().unwrap();
    let ci = e["CreateIndex"].as_u64().unwrap();
    // CAS with a stale index loses, with the current one wins.
    let r = put(
        &sim.url(&format!("/v1/config?cas={}", mi - 1)),
        entry.clone(),
    )
    .await;
    assert_eq!(r.text, "false");
    let r = put(&sim.url(&format!("/v1/config?cas={mi}")), entry.clone()).await;
    assert_eq!(r.text, "true");
    let e2 = get(&sim.url("/v1/config/service-intentions/web"))
        .await
        .json();
    assert!(e2["ModifyIndex"].as_u64().unwrap() > mi);
    assert_eq!(e2["CreateIndex"].as_u64().unwrap(), ci);
    let r = put(&sim.url("/v1/config?cas=abc"), entry.clone()).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.text, "strconv.ParseUint: parsing \"abc\": invalid syntax");
}

async fn lists_and_not_found(sim: &Sim) {
    // List and 404.
    let l = get(&sim.url("/v1/config/service-intentions")).await.json();
    assert_eq!(l.as_array().unwrap().len(), 1);
    assert_eq!(
        get(&sim.url("/v1/config/exported-services")).await.text,
        "[]"
    );
    let r = get(&sim.url("/v1/config/service-intentions/nope")).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.text,
        "Config entry not found for \"service-intentions\" / \"nope\""
    );
}

/// Validation messages (500 + text), indexes refer to the sorted list.
async fn validation_texts(sim: &Sim) {
    let url = sim.url("/v1/config");
    for (body, want) in validation_cases() {
        let r = put(&url, body.clone()).await;
        assert_eq!(r.status, 500, "{body}: {}", r.text);
        assert_eq!(r.text, want, "{body}");
    }
    let r = req("PUT", &url, None, None).await;
    assert_eq!(r.status, 400);
    assert!(r.text.starts_with("Request decoding failed: "));
}

/// Invalid entries and the text each is refused with.
fn validation_cases() -> Vec<(serde_json::Value, &'static str)> {
    vec![
        (
            json!({"Kind": "service-intentions", "Sources": [{"Name": "a", "Action": "allow"}]}),
            "Name is required",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web"}),
            "At least one source is required",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Action": "allow"}]}),
            "Sources[0].Name is required",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "a", "Peer": "p", "Partition": "x", "Action": "allow"}]}),
            "Sources[0].Peer: cannot set Peer and Partition at the same time.",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "a", "Peer": "p*", "Action": "allow"}]}),
            "Sources[0].Peer: cannot use wildcard '*' in peer",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "we*", "Sources": [{"Name": "a", "Action": "allow"}]}),
            "Name: wildcard character '*' cannot be used with partial values",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "*", "Action": "deny"}, {"Name": "a", "Action": "maybe"}]}),
            "Sources[0].Action must be set to 'allow' or 'deny'",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "a", "Action": "allow", "Permissions": [{"Action": "allow", "HTTP": {"PathExact": "/"}}]}]}),
            "Sources[0].Action must be omitted if Permissions are specified",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "*", "Sources": [{"Name": "a", "Permissions": [{"Action": "allow", "HTTP": {"PathExact": "/"}}]}]}),
            "Sources[0].Permissions cannot be specified on intentions with wildcarded destinations",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "a", "Permissions": [{"Action": "allow", "HTTP": {"PathExact": "x"}}]}]}),
            "Sources[0].Permissions[0].HTTP.PathExact doesn't start with '/': \"x\"",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "a", "Permissions": [{"Action": "allow", "HTTP": {"Methods": ["FETCH"]}}]}]}),
            "Sources[0].Permissions[0].HTTP.Methods contains an invalid method \"FETCH\"",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "a", "Peer": "p", "Action": "allow"}, {"Name": "a", "Peer": "p", "Action": "deny"}]}),
            "Sources[1] defines peer(\"p\") \"a\" more than once",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Sources": [{"Name": "a", "Action": "allow", "LegacyID": "x"}]}),
            "Sources[0].LegacyID must be omitted",
        ),
        (
            json!({"Kind": "exported-services", "Name": "default", "Services": [{"Name": "", "Consumers": [{"Peer": "p"}]}]}),
            "Services[0]: service name cannot be empty",
        ),
        (
            json!({"Kind": "exported-services", "Name": "default", "Services": [{"Name": "a", "Consumers": [{"Peer": "*"}]}]}),
            "Services[0].Consumers[0]: exporting to all peers (wildcard) is not supported",
        ),
        (
            json!({"Kind": "exported-services", "Name": "default", "Services": [{"Name": "a", "Consumers": []}]}),
            "Services[0]: must have at least one consumer",
        ),
        (
            json!({"Kind": "exported-services", "Name": "other", "Services": []}),
            "exported-services Name must be \"default\"",
        ),
        (
            json!({"Kind": "exported-services", "Name": "default", "Services": [{"Name": "a", "Consumers": [{"Partition": "team"}]}]}),
            "Services[0].Consumers[0]: partitions are an enterprise-only feature",
        ),
        (
            json!({"Kind": "service-intentions", "Name": "web", "Meta": {"k": "x".repeat(513)}, "Sources": [{"Name": "a", "Action": "allow"}]}),
            "1 error occurred:\n\t* Meta value for key \"k\" exceeds maximum length 512\n\n",
        ),
    ]
}

#[tokio::test]
async fn exports_flow_to_the_peer() {
    let fast = [
        "--heartbeat-interval",
        "100ms",
        "--heartbeat-timeout",
        "1s",
        "--delete-delay",
        "300ms",
    ];
    let mut a1 = vec!["--datacenter", "dc1"];
    a1.extend(fast);
    let mut a2 = vec!["--datacenter", "dc2"];
    a2.extend(fast);
    let dc1 = Sim::start(&a1);
    let dc2 = Sim::start(&a2);
    register_both_ways(&dc1).await;

    let tok = generate(&dc1, "dc2").await;
    assert_eq!(establish(&dc2, "dc1", &tok).await.status, 200);
    wait_state(&dc2, "dc1", "ACTIVE", Duration::from_secs(5)).await;

    let r = put(
        &dc1.url("/v1/config"),
        json!({"Kind": "exported-services", "Name": "default",
               "Services": [{"Name": "api", "Consumers": [{"Peer": "dc2"}]}]}),
    )
    .await;
    assert_eq!(r.text, "true", "{}", r.text);

    let ok = wait_for(Duration::from_secs(5), || async {
        let p = get(&dc2.url("/v1/peering/dc1")).await.json();
        p["StreamStatus"]["ImportedServices"] == json!(["api"])
    })
    .await;
    assert!(ok, "api never imported on dc2");
    let ok = wait_for(Duration::from_secs(5), || async {
        let p = get(&dc1.url("/v1/peering/dc2")).await.json();
        p["StreamStatus"]["ExportedServices"] == json!(["api"])
    })
    .await;
    assert!(ok, "api never shown as exported on dc1");
    imports_show_on_every_view(&dc1, &dc2).await;

    // Deleting the peering on dc1 removes the imports on dc2.
    delete(&dc1.url("/v1/peering/dc2")).await;
    wait_state(&dc2, "dc1", "TERMINATED", Duration::from_secs(5)).await;
    let s = get(&dc2.url("/v1/health/service/api?peer=dc1"))
        .await
        .json();
    assert_eq!(s, json!([]));
}

/// Registers `api` through the catalog and `web` through the agent on dc1.
async fn register_both_ways(dc1: &Sim) {
    let r = put(
        &dc1.url("/v1/catalog/register"),
        json!({"Node": "n1", "Address": "10.0.0.1", "Service": {"Service": "api", "Port": 9090, "Tags": ["v1"]},
               "Check": {"Name": "api alive", "Status": "passing", "ServiceID": "api"}}),
    )
    .await;
    assert_eq!(r.text, "true");
    let r = put(
        &dc1.url("/v1/agent/service/register"),
        json!({"Name": "web", "Port": 80}),
    )
    .await;
    assert_eq!(r.status, 200);
    let svcs = get(&dc1.url("/v1/catalog/services")).await.json();
    assert_eq!(svcs["api"], json!(["v1"]));
    assert!(svcs.get("web").is_some());
    assert!(svcs.get("consul").is_some());
}

/// What dc1 exports to dc2, seen on dc2's imported views and dc1's exported ones.
async fn imports_show_on_every_view(dc1: &Sim, dc2: &Sim) {
    // The list ignores `?peer=`: dc2's own services, as Consul answers.
    let s = get(&dc2.url("/v1/catalog/services?peer=dc1")).await.json();
    assert_eq!(s, get(&dc2.url("/v1/catalog/services")).await.json());
    assert!(s.get("api").is_none(), "{s}");
    let h = get(&dc2.url("/v1/health/service/api?peer=dc1"))
        .await
        .json();
    assert_eq!(h[0]["Service"]["PeerName"], "dc1");
    assert_eq!(h[0]["Node"]["PeerName"], "dc1");
    assert_eq!(h[0]["Checks"][0]["Status"], "passing");
    assert_eq!(h[0]["Service"]["Port"], 9090);
    let c = get(&dc2.url("/v1/catalog/service/api?peer=dc1"))
        .await
        .json();
    assert_eq!(c[0]["PeerName"], "dc1");
    let imp = get(&dc2.url("/v1/imported-services")).await.json();
    assert_eq!(imp, json!([{"Service": "api", "SourcePeer": "dc1"}]));
    let ui = get(&dc2.url("/v1/internal/ui/services?peer=dc1"))
        .await
        .json();
    assert_eq!(ui[0]["Name"], "api");
    assert_eq!(ui[0]["PeerName"], "dc1");
    assert_eq!(ui[0]["InstanceCount"], 1);
    let ex = get(&dc1.url("/v1/exported-services")).await.json();
    assert_eq!(
        ex,
        json!([{"Service": "api", "Consumers": {"Peers": ["dc2"]}}])
    );
    let ex = get(&dc1.url("/v1/internal/ui/exported-services?peer=dc2"))
        .await
        .json();
    assert_eq!(ex[0]["Name"], "api");
    assert_eq!(ex[0]["Datacenter"], "dc1");
    assert_eq!(ex.as_array().unwrap().len(), 1);
    // The local catalog on dc2 does not contain dc1's services.
    let local = get(&dc2.url("/v1/catalog/services")).await.json();
    assert!(local.get("api").is_none());
}

#[tokio::test]
async fn demo_seed_exports_to_the_seed_peer() {
    let (dc1, dc2) = seeded_pair(&["--heartbeat-interval", "100ms"]);
    let svcs = get(&dc1.url("/v1/catalog/services")).await.json();
    for s in ["web", "api", "payments", "db"] {
        assert!(svcs.get(s).is_some(), "{s} missing: {svcs}");
    }
    let tok = generate(&dc1, "dc2").await;
    assert_eq!(establish(&dc2, "dc1", &tok).await.status, 200);
    let ok = wait_for(Duration::from_secs(5), || async {
        let p = get(&dc2.url("/v1/peering/dc1")).await.json();
        p["StreamStatus"]["ImportedServices"] == json!(["payments", "web"])
            && p["StreamStatus"]["ExportedServices"] == json!(["payments", "web"])
    })
    .await;
    assert!(ok, "seeded exports never flowed");
}

#[tokio::test]
async fn export_changes_are_pushed_without_waiting_for_a_heartbeat() {
    let slow = ["--heartbeat-interval", "30s"];
    let mut a1 = vec!["--datacenter", "dc1"];
    a1.extend(slow);
    let mut a2 = vec!["--datacenter", "dc2"];
    a2.extend(slow);
    let dc1 = Sim::start(&a1);
    let dc2 = Sim::start(&a2);
    let tok = generate(&dc1, "dc2").await;
    assert_eq!(establish(&dc2, "dc1", &tok).await.status, 200);
    wait_state(&dc1, "dc2", "ACTIVE", Duration::from_secs(5)).await;
    for (sim, peer) in [(&dc1, "dc2"), (&dc2, "dc1")] {
        put(
            &sim.url("/v1/agent/service/register"),
            json!({"Name": format!("svc-{}", sim.port)}),
        )
        .await;
        let r = put(
            &sim.url("/v1/config"),
            json!({"Kind": "exported-services", "Name": "default",
                   "Services": [{"Name": "*", "Consumers": [{"Peer": peer}]}]}),
        )
        .await;
        assert_eq!(r.text, "true");
    }
    let want1 = json!([format!("svc-{}", dc2.port)]);
    let want2 = json!([format!("svc-{}", dc1.port)]);
    let ok = wait_for(Duration::from_secs(3), || async {
        let a = get(&dc1.url("/v1/peering/dc2")).await.json();
        let b = get(&dc2.url("/v1/peering/dc1")).await.json();
        a["StreamStatus"]["ImportedServices"] == want1
            && b["StreamStatus"]["ImportedServices"] == want2
    })
    .await;
    assert!(ok, "exports were not pushed promptly");
}
