//! The profiles: `--consul-version`, `--client-agent`,
//! `--default-intention-policy` and `--primary-datacenter`, each behaviour as
//! that Consul answers it (see the README's "Profiles").

mod common;

use std::process::Command;

use common::*;
use serde_json::{json, Value};

const ANON_DENIAL: &str = "Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'peering:read'";
const NOT_A_PEER_NAME: &str = "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

fn with_acls<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--acl-initial-management-token", ROOT];
    all.extend_from_slice(args);
    all
}

async fn root_get(sim: &Sim, path: &str) -> Resp {
    req("GET", &sim.url(path), None, Some(ROOT)).await
}

async fn root_put(sim: &Sim, path: &str, body: Value) -> Resp {
    req("PUT", &sim.url(path), Some(body), Some(ROOT)).await
}

async fn root_post(sim: &Sim, path: &str, body: Value) -> Resp {
    req("POST", &sim.url(path), Some(body), Some(ROOT)).await
}

fn stream_times(p: &Value) -> [Value; 3] {
    let s = &p["StreamStatus"];
    [
        s["LastHeartbeat"].clone(),
        s["LastReceive"].clone(),
        s["LastSend"].clone(),
    ]
}

const API_404: &str = "Invalid URL path: not a recognized HTTP API endpoint\n";

#[tokio::test]
async fn v1_14_words_and_shapes() {
    let sim = Sim::start(&with_acls(&["--consul-version", "1.14"]));
    // The anonymous token is named by its AccessorID, inside the gRPC wrapper.
    get(&sim.url("/v1/peerings")).await.is(
        403,
        &format!("rpc error: code = Unknown desc = {ANON_DENIAL}"),
    );
    for token in [None, Some("nope")] {
        req("GET", &sim.url("/v1/acl/token/self"), None, token)
            .await
            .is(403, "ACL not found");
    }
    let me = root_get(&sim, "/v1/agent/self").await.json();
    assert_eq!(me["Config"]["Version"], "1.14.0");
    assert!(me["DebugConfig"].get("DefaultIntentionPolicy").is_none());

    // Upper-case names are accepted, listed as given, found in any case.
    let r = root_post(&sim, "/v1/peering/token", json!({"PeerName": "Prod-East"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = root_get(&sim, "/v1/peerings").await.json();
    assert_eq!(list[0]["Name"], "Prod-East");
    // A PENDING acceptor has no tracker entry: all three times are the epoch.
    let epoch = json!("1970-01-01T00:00:00Z");
    assert_eq!(
        stream_times(&list[0]),
        [epoch.clone(), epoch.clone(), epoch]
    );
    assert_eq!(list[0]["StreamStatus"]["ImportedServices"], Value::Null);
    let one = root_get(&sim, "/v1/peering/prod-east").await;
    assert_eq!(one.json()["Name"], "Prod-East");
    // A tracker entry with nothing recorded: Go's zero time.
    let r = post(
        &sim.url("/_sim/stream"),
        json!({"peer": "Prod-East", "connected": true}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let p = root_get(&sim, "/v1/peering/Prod-East").await.json();
    assert_eq!(p["State"], "ACTIVE");
    let zero = json!("0001-01-01T00:00:00Z");
    assert_eq!(stream_times(&p), [zero.clone(), zero.clone(), zero]);
    req(
        "DELETE",
        &sim.url("/v1/peering/Prod-East"),
        None,
        Some(ROOT),
    )
    .await
    .is(200, "");
    let p = root_get(&sim, "/v1/peering/prod-east").await.json();
    assert_eq!(p["State"], "DELETING");

    // 1.14's name check is dns.ValidateLabel, with its own words.
    root_post(&sim, "/v1/peering/token", json!({"PeerName": "-x"}))
        .await
        .is(
            500,
            &format!("rpc error: code = Unknown desc = -x is not a valid peer name: a valid DNS label {NOT_A_PEER_NAME}"),
        );

    // Endpoints 1.14 lacks.
    for path in ["/v1/exported-services", "/v1/imported-services"] {
        root_get(&sim, path).await.is(404, API_404);
    }
    // No sameness groups yet: the older consumer text.
    let bad = json!({"Kind": "exported-services", "Name": "default",
        "Services": [{"Name": "web", "Consumers": [{"Peer": "a", "Partition": "b"}]}]});
    root_put(&sim, "/v1/config", bad).await.is(
        500,
        "Services[0].Consumers[0]: must define at most one of Peer or Partition",
    );
}

#[tokio::test]
async fn v1_15_strips_the_wrapper_and_refuses_upper_case() {
    let sim = Sim::start(&with_acls(&["--consul-version", "1.15"]));
    get(&sim.url("/v1/peerings")).await.is(
        403,
        "Permission denied: anonymous token lacks permission 'peering:read'. The anonymous token is used implicitly when a request does not specify a token.",
    );
    req("GET", &sim.url("/v1/acl/token/self"), None, None)
        .await
        .is(403, "token does not exist: ACL not found");
    root_post(&sim, "/v1/peering/token", json!({"PeerName": "Prod"}))
        .await
        .is(
            500,
            &format!("Prod is not a valid peer name: a valid peering name {NOT_A_PEER_NAME}"),
        );
    let r = root_post(&sim, "/v1/peering/token", json!({"PeerName": "prod"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let p = root_get(&sim, "/v1/peering/prod").await.json();
    assert_eq!(stream_times(&p), [Value::Null, Value::Null, Value::Null]);
    root_get(&sim, "/v1/exported-services")
        .await
        .is(404, API_404);
    let me = root_get(&sim, "/v1/agent/self").await.json();
    assert_eq!(me["Config"]["Version"], "1.15.0");
}

#[tokio::test]
async fn v1_18_has_exported_services_but_not_imported_services() {
    let sim = Sim::start(&["--consul-version", "1.18"]);
    let r = get(&sim.url("/v1/exported-services")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    get(&sim.url("/v1/imported-services"))
        .await
        .is(404, API_404);
    let me = get(&sim.url("/v1/agent/self")).await.json();
    assert_eq!(me["Config"]["Version"], "1.18.0");
    assert_eq!(me["DebugConfig"]["DefaultIntentionPolicy"], "");
    let bad = json!({"Kind": "exported-services", "Name": "default",
        "Services": [{"Name": "web", "Consumers": [{"Peer": "a", "SamenessGroup": "b"}]}]});
    put(&sim.url("/v1/config"), bad).await.is(
        500,
        "Services[0].Consumers[0]: sameness-groups are an enterprise-only feature",
    );
}

#[tokio::test]
async fn client_agent_wraps_forwarded_errors() {
    let sim = Sim::start(&with_acls(&["--client-agent"]));
    let me = root_get(&sim, "/v1/agent/self").await.json();
    assert_eq!(me["Config"]["Server"], false);
    assert_eq!(me["DebugConfig"]["ServerMode"], false);
    assert_eq!(me["Member"]["Tags"]["role"], "node");
    // Config-entry validation runs on the server: wrapped once.
    let bad = json!({"Kind": "service-intentions", "Name": "web",
        "Sources": [{"Name": "api", "Action": "maybe"}]});
    root_put(&sim, "/v1/config", bad).await.is(
        500,
        "rpc error making call: Sources[0].Action must be set to 'allow' or 'deny'",
    );
    // So is an ACL denial the server decides, and token/self's lookup.
    let entry = json!({"Kind": "service-intentions", "Name": "web",
        "Sources": [{"Name": "api", "Action": "allow"}]});
    put(&sim.url("/v1/config"), entry).await.is(
        403,
        "rpc error making call: Permission denied: anonymous token lacks permission 'intention:write' on \"web\". The anonymous token is used implicitly when a request does not specify a token.",
    );
    // Validation comes before the write permission (ConfigEntry.Apply).
    let bad = json!({"Kind": "service-intentions", "Name": "web",
        "Sources": [{"Name": "api"}]});
    put(&sim.url("/v1/config"), bad).await.is(
        500,
        "rpc error making call: Sources[0].Action must be set to 'allow' or 'deny'",
    );
    req("GET", &sim.url("/v1/acl/token/self"), None, None)
        .await
        .is(
            403,
            "rpc error making call: token does not exist: ACL not found",
        );
    req("GET", &sim.url("/v1/catalog/services"), None, Some("nope"))
        .await
        .is(403, "rpc error making call: ACL not found");
    // What the agent answers itself is not wrapped: the 404 of a config read,
    // the peering endpoints (gRPC, not the RPC pool), agent/self's ACL check.
    root_get(&sim, "/v1/config/service-intentions/nope")
        .await
        .is(
            404,
            "Config entry not found for \"service-intentions\" / \"nope\"",
        );
    root_post(&sim, "/v1/peering/token", json!({"PeerName": "Prod"}))
        .await
        .is(
            500,
            &format!("Prod is not a valid peer name: a valid peering name {NOT_A_PEER_NAME}"),
        );
    let r = get(&sim.url("/v1/agent/self")).await;
    assert_eq!(r.status, 403);
    assert!(
        r.text.starts_with("Permission denied: anonymous"),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn client_agent_on_1_14_keeps_both_wrappers_apart() {
    let sim = Sim::start(&["--client-agent", "--consul-version", "1.14"]);
    let bad = json!({"Kind": "exported-services", "Name": "default",
        "Services": [{"Name": "", "Consumers": [{"Peer": "a"}]}]});
    put(&sim.url("/v1/config"), bad).await.is(
        500,
        "rpc error making call: Services[0]: service name cannot be empty",
    );
    post(&sim.url("/v1/peering/token"), json!({"PeerName": "-x"}))
        .await
        .is(
            500,
            &format!("rpc error: code = Unknown desc = -x is not a valid peer name: a valid DNS label {NOT_A_PEER_NAME}"),
        );
}

async fn check(sim: &Sim, source: &str, destination: &str, token: Option<&str>) -> Resp {
    let url = sim.url(&format!(
        "/v1/connect/intentions/check?source={source}&destination={destination}"
    ));
    req("GET", &url, None, token).await
}

async fn allowed(sim: &Sim, source: &str, destination: &str, token: Option<&str>) -> bool {
    let r = check(sim, source, destination, token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["Allowed"].as_bool().unwrap()
}

#[tokio::test]
async fn default_intention_policy_decides_when_nothing_matches() {
    let sim = Sim::start(&[
        "--consul-version",
        "1.18",
        "--default-intention-policy",
        "deny",
    ]);
    let me = get(&sim.url("/v1/agent/self")).await.json();
    assert_eq!(me["DebugConfig"]["DefaultIntentionPolicy"], "deny");
    // ACLs are off (default allow), but the agent's policy wins.
    assert!(!allowed(&sim, "web", "api", None).await);
    let entry = json!({"Kind": "service-intentions", "Name": "api",
        "Sources": [{"Name": "web", "Action": "allow"}, {"Name": "*", "Action": "deny"},
                    {"Name": "web", "Peer": "dc2", "Action": "deny"}]});
    put(&sim.url("/v1/config"), entry).await.is(200, "true");
    assert!(allowed(&sim, "web", "api", None).await);
    assert!(!allowed(&sim, "db", "api", None).await);
    assert!(!allowed(&sim, "web", "db", None).await);
    // An intention with L7 permissions counts as deny.
    let entry = json!({"Kind": "service-intentions", "Name": "db",
        "Sources": [{"Name": "web", "Permissions": [{"Action": "allow", "HTTP": {"PathPrefix": "/"}}]}]});
    put(&sim.url("/v1/config"), entry).await.is(200, "true");
    assert!(!allowed(&sim, "web", "db", None).await);
    get(&sim.url("/v1/connect/intentions/check?destination=api"))
        .await
        .is(500, "required query parameter 'source' not set");
}

#[tokio::test]
async fn without_the_policy_the_acl_default_decides() {
    let open = Sim::start(&[]);
    assert!(allowed(&open, "web", "api", None).await);
    let allow = Sim::start(&with_acls(&["--default-intention-policy", "allow"]));
    assert!(allowed(&allow, "web", "api", Some(ROOT)).await);
    let closed = Sim::start(&with_acls(&["--client-agent"]));
    assert!(!allowed(&closed, "web", "api", Some(ROOT)).await);
    // Check needs service:read on the destination, decided by the server.
    check(&closed, "web", "api", None).await.is(
        403,
        "rpc error making call: Permission denied: anonymous token lacks permission 'service:read' on \"api\". The anonymous token is used implicitly when a request does not specify a token.",
    );
}

#[test]
fn default_intention_policy_needs_1_18() {
    let out = Command::new(env!("CARGO_BIN_EXE_consul-sim"))
        .args([
            "--consul-version",
            "1.15",
            "--default-intention-policy",
            "deny",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--default-intention-policy needs --consul-version 1.18 or newer"),
        "{err}"
    );
}

#[tokio::test]
async fn a_secondary_datacenter_writes_exports_to_the_primary() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "index.html",
        "<script id=\"consul-ui-config\">{{ jsonEncode . }}</script>",
    );
    let sim = Sim::start(&[
        "--datacenter",
        "dc2",
        "--primary-datacenter",
        "dc1",
        "--ui-dir",
        dir.path().to_str().unwrap(),
    ]);
    let exports = json!({"Kind": "exported-services", "Name": "default",
        "Services": [{"Name": "web", "Consumers": [{"Peer": "east"}]}]});
    let refused = "exported-services writes must not target secondary datacenters.";
    for path in ["/v1/config", "/v1/config?dc=dc2"] {
        put(&sim.url(path), exports.clone()).await.is(500, refused);
    }
    put(&sim.url("/v1/config?dc=dc1"), exports.clone())
        .await
        .is(200, "true");
    let e = get(&sim.url("/v1/config/exported-services/default?dc=dc1"))
        .await
        .json();
    assert_eq!(e["Services"][0]["Name"], "web");
    // Only exported-services is gated, and only its writes.
    let ixn = json!({"Kind": "service-intentions", "Name": "web",
        "Sources": [{"Name": "api", "Action": "allow"}]});
    put(&sim.url("/v1/config"), ixn).await.is(200, "true");
    let r = delete(&sim.url("/v1/config/exported-services/default")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    get(&sim.url("/v1/catalog/services?dc=dc3"))
        .await
        .is(500, "No path to datacenter");

    let me = get(&sim.url("/v1/agent/self")).await.json();
    assert_eq!(me["Config"]["Datacenter"], "dc2");
    assert_eq!(me["Config"]["PrimaryDatacenter"], "dc1");
    assert_eq!(
        get(&sim.url("/v1/catalog/datacenters")).await.json(),
        json!(["dc2", "dc1"])
    );
    let page = get(&sim.url("/ui/")).await.text;
    let data = page
        .strip_prefix("<script id=\"consul-ui-config\">")
        .and_then(|s| s.strip_suffix("</script>"))
        .unwrap();
    let data: Value = serde_json::from_str(data).unwrap();
    assert_eq!(data["LocalDatacenter"], "dc2");
    assert_eq!(data["PrimaryDatacenter"], "dc1");
}

#[tokio::test]
async fn a_secondary_behind_a_client_agent() {
    let sim = Sim::start(&[
        "--datacenter",
        "dc2",
        "--primary-datacenter",
        "dc1",
        "--client-agent",
    ]);
    let exports = json!({"Kind": "exported-services", "Name": "default",
        "Services": [{"Name": "web", "Consumers": [{"Peer": "east"}]}]});
    put(&sim.url("/v1/config"), exports).await.is(
        500,
        "rpc error making call: exported-services writes must not target secondary datacenters.",
    );
    get(&sim.url("/v1/catalog/services?dc=dc3"))
        .await
        .is(500, "rpc error making call: No path to datacenter");
}

#[tokio::test]
async fn the_primary_itself_is_not_a_secondary() {
    let sim = Sim::start(&["--datacenter", "dc1", "--primary-datacenter", "dc1"]);
    let exports = json!({"Kind": "exported-services", "Name": "default",
        "Services": [{"Name": "web", "Consumers": [{"Peer": "east"}]}]});
    put(&sim.url("/v1/config"), exports).await.is(200, "true");
    assert_eq!(
        get(&sim.url("/v1/catalog/datacenters")).await.json(),
        json!(["dc1"])
    );
}

#[tokio::test]
async fn two_1_14_clusters_peer_and_upper_case_names_work_end_to_end() {
    let fast = ["--consul-version", "1.14", "--heartbeat-interval", "200ms"];
    let dc1 = Sim::start(&[&["--datacenter", "dc1"][..], &fast].concat());
    let dc2 = Sim::start(&[&["--datacenter", "dc2"][..], &fast].concat());
    let tok = generate(&dc1, "DC2").await;
    let r = establish(&dc2, "DC1", &tok).await;
    r.is(200, "{}");
    wait_state(&dc2, "dc1", "ACTIVE", std::time::Duration::from_secs(5)).await;
    wait_state(&dc1, "dc2", "ACTIVE", std::time::Duration::from_secs(5)).await;
    let acc = get(&dc1.url("/v1/peering/DC2")).await.json();
    assert_eq!(acc["Name"], "DC2");
    // Once the stream is up, real times replace the zero ones.
    for t in stream_times(&acc) {
        let t = t.as_str().unwrap().to_string();
        assert!(!t.starts_with("0001") && !t.starts_with("1970"), "{t}");
    }
    let r = delete(&dc2.url("/v1/peering/Dc1")).await;
    r.is(200, "");
    wait_state(
        &dc1,
        "dc2",
        "TERMINATED",
        std::time::Duration::from_secs(10),
    )
    .await;
}
