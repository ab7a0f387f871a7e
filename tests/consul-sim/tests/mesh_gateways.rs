//! Traffic through peers: the `mesh`, `proxy-defaults` and
//! `service-resolver` entries, the demo mesh gateway and its check, and
//! peering tokens that point at mesh gateways.

mod common;

use std::time::Duration;

use base64::Engine;
use common::*;
use serde_json::{json, Value};

const NO_GATEWAYS: &str =
    "servers are configured to PeerThroughMeshGateways, but no mesh gateway instances are registered";

async fn read(sim: &Sim, path: &str) -> Value {
    let r = get(&sim.url(path)).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.json()
}

/// Turns `Peering.PeerThroughMeshGateways` on or off.
async fn peer_through_gateways(sim: &Sim, on: bool) {
    let r = put(
        &sim.url("/v1/config"),
        json!({"Kind": "mesh", "Peering": {"PeerThroughMeshGateways": on}}),
    )
    .await;
    r.is(200, "true");
}

fn token_json(token: &str) -> Value {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(token)
        .unwrap();
    serde_json::from_slice(&raw).unwrap()
}

/// The demo gateway's WAN address, as `/v1/health/service/mesh-gateway` shows it.
async fn gateway_wan(sim: &Sim) -> String {
    let list = read(sim, "/v1/health/service/mesh-gateway").await;
    let wan = &list[0]["Service"]["TaggedAddresses"]["wan"];
    format!("{}:{}", wan["Address"].as_str().unwrap(), wan["Port"])
}

#[tokio::test]
async fn mesh_entry_cas_unknown_fields_and_its_one_name() {
    let sim = Sim::start(&[]);
    // MeshConfigEntry has no Name: the decoder refuses the key.
    put(
        &sim.url("/v1/config"),
        json!({"Kind": "mesh", "Name": "mesh"}),
    )
    .await
    .is(
        400,
        "Request decoding failed: 1 error occurred:\n\t* invalid config key \"Name\"\n\n",
    );
    let entry = json!({"Kind": "mesh", "peering": {"peer_through_mesh_gateways": true}, "HTTP": {"SanitizeXForwardedClientCert": true}, "Custom": 1});
    put(&sim.url("/v1/config?cas=0"), entry.clone())
        .await
        .is(200, "true");
    put(&sim.url("/v1/config?cas=0"), entry)
        .await
        .is(200, "false");
    let e = read(&sim, "/v1/config/mesh/mesh").await;
    assert_eq!(e["Kind"], "mesh");
    assert!(e.get("Name").is_none(), "{e}");
    assert_eq!(e["Peering"]["PeerThroughMeshGateways"], true);
    assert_eq!(e["TransparentProxy"]["MeshDestinationsOnly"], false);
    assert_eq!(e["HTTP"]["SanitizeXForwardedClientCert"], true);
    assert_eq!(e["Custom"], 1);
    let idx = e["ModifyIndex"].as_u64().unwrap();
    let list = read(&sim, "/v1/config/mesh").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Another name finds nothing…
    get(&sim.url("/v1/config/mesh/other"))
        .await
        .is(404, "Config entry not found for \"mesh\" / \"other\"");
    // …but deletes the one entry (`GetName` is always "mesh").
    delete(&sim.url(&format!("/v1/config/mesh/other?cas={}", idx - 1)))
        .await
        .is(200, "false");
    delete(&sim.url(&format!("/v1/config/mesh/other?cas={idx}")))
        .await
        .is(200, "true");
    assert_eq!(get(&sim.url("/v1/config/mesh/mesh")).await.status, 404);
}

#[tokio::test]
async fn proxy_defaults_is_global_and_keeps_any_mode() {
    let sim = Sim::start(&["--client-agent"]);
    put(
        &sim.url("/v1/config"),
        json!({"Kind": "proxy-defaults", "Name": "web"}),
    )
    .await
    .is(
        500,
        "rpc error making call: invalid name (\"web\"), only \"global\" is supported",
    );
    put(
        &sim.url("/v1/config?cas=0"),
        json!({"Kind": "proxy-defaults", "Config": {"protocol": "http"}, "MeshGateway": {"Mode": "local"}, "Extra": "kept"}),
    )
    .await
    .is(200, "true");
    let e = read(&sim, "/v1/config/proxy-defaults/global").await;
    assert_eq!(e["Name"], "global");
    assert_eq!(e["MeshGateway"]["Mode"], "local");
    assert_eq!(e["Config"]["protocol"], "http");
    assert_eq!(e["Extra"], "kept");
    assert_eq!(e["Expose"], json!({}));
    // No mode check in Consul's write path: any string is stored.
    let idx = e["ModifyIndex"].as_u64().unwrap();
    let mut edited = e.clone();
    edited["MeshGateway"]["Mode"] = json!("sideways");
    put(&sim.url(&format!("/v1/config?cas={idx}")), edited)
        .await
        .is(200, "true");
    put(
        &sim.url(&format!("/v1/config?cas={idx}")),
        json!({"Kind": "proxy-defaults", "Name": "global"}),
    )
    .await
    .is(200, "false");
    delete(&sim.url("/v1/config/proxy-defaults/web")).await.is(
        500,
        "rpc error making call: invalid name (\"web\"), only \"global\" is supported",
    );
    delete(&sim.url("/v1/config/proxy-defaults/global"))
        .await
        .is(200, "{}");
}

#[tokio::test]
async fn resolver_failover_order_and_cas() {
    let sim = Sim::start(&[]);
    let entry = json!({
        "Kind": "service-resolver",
        "Name": "api",
        "ConnectTimeout": "5s",
        "Failover": {"*": {"Targets": [{"Peer": "dc3"}, {"Peer": "dc2"}, {"Service": "api-backup"}]}},
        "Meta": {"owner": "team"},
        "Unknown": {"x": 1}
    });
    put(&sim.url("/v1/config?cas=0"), entry)
        .await
        .is(200, "true");
    let e = read(&sim, "/v1/config/service-resolver/api").await;
    let peers: Vec<&str> = e["Failover"]["*"]["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["Peer"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(peers, ["dc3", "dc2", ""]);
    assert_eq!(e["Unknown"]["x"], 1);
    assert_eq!(e["ConnectTimeout"], "5s");
    // Reorder with the index read; a second writer with the same index loses.
    let idx = e["ModifyIndex"].as_u64().unwrap();
    let mut reordered = e.clone();
    reordered["Failover"]["*"]["Targets"] = json!([{"Peer": "dc2"}, {"Peer": "dc3"}]);
    put(&sim.url(&format!("/v1/config?cas={idx}")), reordered)
        .await
        .is(200, "true");
    put(&sim.url(&format!("/v1/config?cas={idx}")), e)
        .await
        .is(200, "false");
    let e = read(&sim, "/v1/config/service-resolver/api").await;
    assert_eq!(e["Failover"]["*"]["Targets"][0]["Peer"], "dc2");
    assert_eq!(
        read(&sim, "/v1/config/service-resolver")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let idx = e["ModifyIndex"].as_u64().unwrap();
    delete(&sim.url(&format!("/v1/config/service-resolver/api?cas={idx}")))
        .await
        .is(200, "true");
}

#[tokio::test]
async fn resolver_texts_by_profile() {
    let redirect = json!({"Kind": "service-resolver", "Name": "api",
        "Redirect": {"Service": "api", "Peer": "dc2", "ServiceSubset": "v1"}});
    let empty_failover = json!({"Kind": "service-resolver", "Name": "api", "Failover": {"*": {}}});
    let sim = Sim::start(&[]);
    put(&sim.url("/v1/config"), redirect.clone()).await.is(
        500,
        "Redirect.Peer cannot be set with Redirect.ServiceSubset",
    );
    put(&sim.url("/v1/config"), empty_failover.clone()).await.is(
        500,
        "Bad Failover[\"*\"]: one of Service, ServiceSubset, Namespace, Targets, SamenessGroup, or Datacenters is required",
    );
    put(
        &sim.url("/v1/config"),
        json!({"Kind": "service-resolver", "Name": "api", "Failover": {"*": {"Targets": [{"Peer": "dc2", "Datacenter": "dc3"}]}}}),
    )
    .await
    .is(500, "Bad Failover[\"*\"].Targets[0]: Peer cannot be set with Datacenter");
    put(
        &sim.url("/v1/config"),
        json!({"Kind": "service-resolver", "Name": "api", "Redirect": {"Peer": "dc2"}, "Failover": {"*": {"Targets": [{"Peer": "dc2"}]}}}),
    )
    .await
    .is(500, "Redirect and Failover cannot both be set");

    // Config entries go through net/rpc, not gRPC: 1.14 has no wrapper here.
    let old = Sim::start(&["--consul-version", "1.14"]);
    put(&old.url("/v1/config"), redirect.clone()).await.is(
        500,
        "Redirect.Peer cannot be set with Redirect.ServiceSubset",
    );
    put(&old.url("/v1/config"), empty_failover).await.is(
        500,
        "Bad Failover[\"*\"]: one of Service, ServiceSubset, Namespace, Targets, or Datacenters is required",
    );
    let client = Sim::start(&["--client-agent"]);
    put(&client.url("/v1/config"), redirect).await.is(
        500,
        "rpc error making call: Redirect.Peer cannot be set with Redirect.ServiceSubset",
    );
}

#[tokio::test]
async fn acl_for_the_new_kinds() {
    let sim = Sim::start(&["--acl-initial-management-token", ROOT]);
    let (accessor, secret) =
        make_token(&sim, "api-writer", r#"service "api" { policy = "write" }"#).await;
    let denial = |perm: &str| {
        format!("Permission denied: token with AccessorID '{accessor}' lacks permission '{perm}'")
    };
    // Anyone may read mesh and proxy-defaults; writing needs mesh:write.
    assert_eq!(
        req("GET", &sim.url("/v1/config/mesh"), None, Some(&secret))
            .await
            .status,
        200
    );
    let r = req(
        "PUT",
        &sim.url("/v1/config"),
        Some(json!({"Kind": "proxy-defaults", "MeshGateway": {"Mode": "local"}})),
        Some(&secret),
    )
    .await;
    r.is(403, &denial("mesh:write"));
    // A resolver needs read on each local service it sends traffic to;
    // failover targets on peers do not count.
    let resolver = |targets: Value| json!({"Kind": "service-resolver", "Name": "api", "Failover": {"*": {"Targets": targets}}});
    let r = req(
        "PUT",
        &sim.url("/v1/config"),
        Some(resolver(
            json!([{"Peer": "dc2"}, {"Service": "api-backup"}]),
        )),
        Some(&secret),
    )
    .await;
    r.is(
        403,
        &format!("{} on \"api-backup\"", denial("service:read")),
    );
    let r = req(
        "PUT",
        &sim.url("/v1/config"),
        Some(resolver(json!([{"Peer": "dc2", "Service": "billing"}]))),
        Some(&secret),
    )
    .await;
    r.is(200, "true");
}

#[tokio::test]
async fn demo_gateway_is_listed_with_its_health_and_a_control_sets_it() {
    let sim = Sim::start(&["--seed", "demo"]);
    let list = read(&sim, "/v1/health/service/mesh-gateway").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let svc = &list[0]["Service"];
    assert_eq!(svc["Kind"], "mesh-gateway");
    assert_eq!(svc["Port"], 8443);
    assert_eq!(svc["TaggedAddresses"]["lan"]["Address"], svc["Address"]);
    let wan = gateway_wan(&sim).await;
    assert!(
        wan.starts_with("127.0.0.1:") && wan != sim.base.trim_start_matches("http://"),
        "{wan}"
    );
    let status = |v: &Value| {
        v[0]["Checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["CheckID"] == "service:mesh-gateway")
            .map(|c| c["Status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status(&list), "passing");
    let summary = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|s| s["Kind"] == "mesh-gateway")
            .cloned()
            .unwrap()
    };
    let ui = read(&sim, "/v1/internal/ui/services").await;
    assert_eq!(summary(&ui)["Name"], "mesh-gateway");
    assert_eq!(summary(&ui)["ChecksPassing"], 2);
    let cat = read(&sim, "/v1/catalog/service/mesh-gateway").await;
    assert_eq!(cat[0]["ServiceKind"], "mesh-gateway");
    assert!(cat[0]["ServiceTaggedAddresses"]["wan"].is_object());

    // The control: a blocking read wakes with the new status.
    let idx = get(&sim.url("/v1/health/service/mesh-gateway"))
        .await
        .header("x-consul-index")
        .unwrap();
    let url = sim.url(&format!(
        "/v1/health/service/mesh-gateway?index={idx}&wait=5s"
    ));
    let waiter = tokio::spawn(async move { get(&url).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r = post(
        &sim.url("/_sim/check"),
        json!({"check_id": "service:mesh-gateway", "status": "critical", "output": "connection refused"}),
    )
    .await;
    r.is(200, "{\"updated\":1}");
    let woke = waiter.await.unwrap().json();
    assert_eq!(status(&woke), "critical");
    let ui = read(&sim, "/v1/internal/ui/services").await;
    assert_eq!(summary(&ui)["ChecksCritical"], 1);
    let passing = read(&sim, "/v1/health/service/mesh-gateway?passing").await;
    assert_eq!(passing, json!([]));
    post(
        &sim.url("/_sim/check"),
        json!({"check_id": "service:mesh-gateway", "status": "warning"}),
    )
    .await
    .is(200, "{\"updated\":1}");
    assert_eq!(
        status(&read(&sim, "/v1/health/service/mesh-gateway").await),
        "warning"
    );
    let r = post(
        &sim.url("/_sim/check"),
        json!({"check_id": "service:mesh-gateway", "status": "maintenance"}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = post(
        &sim.url("/_sim/check"),
        json!({"check_id": "nope", "status": "passing"}),
    )
    .await;
    r.is(404, "no check \"nope\"");
}

#[tokio::test]
async fn tokens_carry_gateway_addresses_or_fail_without_any() {
    let sim = Sim::start(&[]);
    let plain = token_json(&generate(&sim, "before").await);
    assert_eq!(
        plain["ServerAddresses"],
        json!([sim.base.trim_start_matches("http://")])
    );
    peer_through_gateways(&sim, true).await;
    // No gateway: Consul's text, through gRPC (500); the peering was written first.
    let r = post(&sim.url("/v1/peering/token"), json!({"PeerName": "dc2"})).await;
    r.is(500, NO_GATEWAYS);
    assert_eq!(peering_state(&sim, "dc2").await, "PENDING");

    // Gateways: the WAN address when there is one, else the service address,
    // else the node's; healthy or not; the external addresses stay manual.
    let register = |node: &str, body: Value| {
        let mut b = json!({"Node": node, "Address": "10.9.0.1", "Service": body});
        if node == "gw-c" {
            b["TaggedAddresses"] = json!({"wan": "203.0.113.9"});
        }
        let url = sim.url("/v1/catalog/register");
        async move { put(&url, b).await }
    };
    register("gw-a", json!({"Service": "mesh-gateway", "Kind": "mesh-gateway", "Address": "10.9.0.2", "Port": 8443,
        "TaggedAddresses": {"wan": {"Address": "198.51.100.7", "Port": 443}}})).await.is(200, "true");
    register("gw-b", json!({"Service": "mesh-gateway", "Kind": "mesh-gateway", "Address": "10.9.0.3", "Port": 8443,
        "Check": {"Status": "critical"}})).await.is(200, "true");
    register(
        "gw-c",
        json!({"Service": "mesh-gateway", "Kind": "mesh-gateway", "Port": 8443}),
    )
    .await
    .is(200, "true");
    let r = post(
        &sim.url("/v1/peering/token"),
        json!({"PeerName": "dc2", "ServerExternalAddresses": ["1.2.3.4:8503"]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let tok = token_json(r.json()["PeeringToken"].as_str().unwrap());
    assert_eq!(
        tok["ServerAddresses"],
        json!(["198.51.100.7:443", "10.9.0.3:8443", "203.0.113.9:8443"])
    );
    assert_eq!(tok["ManualServerAddresses"], json!(["1.2.3.4:8503"]));
    peer_through_gateways(&sim, false).await;
    let tok = token_json(&generate(&sim, "dc2").await);
    assert_eq!(
        tok["ServerAddresses"],
        json!([sim.base.trim_start_matches("http://")])
    );

    // The text in the other profiles: the 1.14 gRPC wrapper; a client agent
    // answers peering itself (no `rpc error making call: `).
    for (args, want) in [
        (
            vec!["--consul-version", "1.14"],
            format!("rpc error: code = Unknown desc = {NO_GATEWAYS}"),
        ),
        (vec!["--client-agent"], NO_GATEWAYS.to_string()),
    ] {
        let other = Sim::start(&args);
        peer_through_gateways(&other, true).await;
        post(&other.url("/v1/peering/token"), json!({"PeerName": "dc2"}))
            .await
            .is(500, &want);
    }
}

#[tokio::test]
async fn establishing_through_the_demo_gateway_works() {
    let (dc1, dc2) = seeded_pair(&[]);
    peer_through_gateways(&dc1, true).await;
    // Unhealthy gateways are still in the token.
    post(
        &dc1.url("/_sim/check"),
        json!({"check_id": "service:mesh-gateway", "status": "critical"}),
    )
    .await
    .is(200, "{\"updated\":1}");
    let wan = gateway_wan(&dc1).await;
    let token = generate(&dc1, "dc2").await;
    assert_eq!(token_json(&token)["ServerAddresses"], json!([wan]));
    establish(&dc2, "dc1", &token).await.is(200, "{}");
    wait_state(&dc1, "dc2", "ACTIVE", Duration::from_secs(10)).await;
    wait_state(&dc2, "dc1", "ACTIVE", Duration::from_secs(10)).await;
    let p = read(&dc2, "/v1/peering/dc1").await;
    assert_eq!(p["PeerServerAddresses"], json!([wan]));
    // Exports and imports as before; the gateway is neither.
    let imported = wait_for(Duration::from_secs(10), || async {
        read(&dc2, "/v1/peering/dc1").await["StreamStatus"]["ImportedServices"]
            == json!(["payments", "web"])
    })
    .await;
    assert!(imported, "{}", read(&dc2, "/v1/peering/dc1").await);
    assert!(read(&dc2, "/v1/health/service/mesh-gateway?peer=dc1").await == json!([]));
}

#[tokio::test]
async fn a_wildcard_export_leaves_the_gateway_out() {
    let sim = Sim::start(&["--seed", "demo"]);
    put(
        &sim.url("/v1/config"),
        json!({"Kind": "exported-services", "Name": "default", "Services": [{"Name": "*", "Consumers": [{"Peer": "dc2"}]}]}),
    )
    .await
    .is(200, "true");
    let list = read(&sim, "/v1/exported-services").await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Service"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["api", "db", "payments", "web"]);
    let ui = read(&sim, "/v1/internal/ui/exported-services?peer=dc2").await;
    assert_eq!(ui.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn after_a_restart_the_gateway_points_at_its_new_port() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut first = Sim::start(&["--seed", "demo", "--data-dir", data]);
    post(
        &first.url("/_sim/check"),
        json!({"check_id": "service:mesh-gateway", "status": "critical"}),
    )
    .await
    .is(200, "{\"updated\":1}");
    let before = gateway_wan(&first).await;
    first.stop();
    let second = Sim::start(&["--seed", "demo", "--data-dir", data]);
    let list = read(&second, "/v1/health/service/mesh-gateway").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let after = gateway_wan(&second).await;
    assert_ne!(before, after);
    // The check status survives; the new port forwards to the server.
    assert!(list[0]["Checks"].to_string().contains("critical"));
    let poke = |base: String| async move {
        let body = json!({"peer_id": "x", "stream_secret": "y"});
        let r = post(&format!("{base}/_peer/poke"), body).await;
        (r.status, r.text)
    };
    assert_eq!(
        poke(format!("http://{after}")).await,
        poke(second.base.clone()).await
    );
    // Only the peer paths are there.
    assert_eq!(
        get(&format!("http://{after}/v1/agent/self")).await.status,
        404
    );
}
