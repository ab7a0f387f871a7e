//! `--seed demo [--seed-peer NAME]`: a handful of services with health
//! checks, a mesh gateway, and an exported-services entry exporting some of
//! them.

use std::collections::BTreeMap;

use serde_json::json;

use crate::rules::exports::validate_exports;
use crate::rules::mesh::MESH_GATEWAY_KIND;
use crate::state::{Check, ServiceAddress, ServiceInstance, Sim, State};

fn check(id: &str, name: &str, status: &str, output: &str) -> Check {
    Check {
        check_id: id.into(),
        name: name.into(),
        status: status.into(),
        notes: String::new(),
        output: output.into(),
    }
}

/// The node's agent check, passing.
fn serf_check() -> Check {
    check(
        "serfHealth",
        "Serf Health Status",
        "passing",
        "Agent alive and reachable",
    )
}

/// The demo mesh gateway: `mesh-gateway` (`Kind: mesh-gateway`) on its own
/// node, with a LAN address in the seed's made-up network and, as its `wan`
/// tagged address, `wan` (the port where the stand-in forwards peering
/// traffic to this server), like `consul connect envoy -gateway=mesh
/// -register -address … -wan-address …` registers one. Its health check,
/// `service:mesh-gateway`, is set with `POST /_sim/check`.
fn mesh_gateway(dc: &str, wan: &str) -> ServiceInstance {
    let lan = format!("10.{}.0.20", if dc == "dc1" { 1 } else { 2 });
    let (wan_host, wan_port) = wan.rsplit_once(':').unwrap_or((wan, "0"));
    let port = 8443;
    let tagged = |address: &str, port: u16| ServiceAddress {
        address: address.trim_start_matches('[').trim_end_matches(']').into(),
        port,
    };
    ServiceInstance {
        node: format!("{dc}-mesh-gateway-1"),
        node_id: uuid::Uuid::new_v4().to_string(),
        address: lan.clone(),
        node_meta: BTreeMap::from([("zone".to_string(), format!("{dc}-a"))]),
        service_id: "mesh-gateway".into(),
        service: "mesh-gateway".into(),
        service_address: lan.clone(),
        port,
        kind: MESH_GATEWAY_KIND.into(),
        tagged_addresses: BTreeMap::from([
            ("lan".to_string(), tagged(&lan, port)),
            (
                "wan".to_string(),
                tagged(wan_host, wan_port.parse().unwrap_or(0)),
            ),
        ]),
        checks: vec![
            serf_check(),
            check(
                "service:mesh-gateway",
                "Mesh Gateway Listening",
                "passing",
                &format!("TCP connect {lan}:{port}: Success"),
            ),
        ],
        ..Default::default()
    }
}

/// Applies `--seed` (only `demo` exists), with `--seed-peer` and the demo
/// gateway's WAN address.
pub(crate) fn apply(
    sim: &Sim,
    seed: &str,
    peer: Option<&str>,
    gateway: Option<&str>,
) -> Result<(), String> {
    if seed != "demo" {
        return Err(format!("unknown seed {seed:?} (known: demo)"));
    }
    let mut st = sim.lock();
    let dc = sim.cfg.datacenter.clone();
    if st.services.iter().any(|s| s.service == "web") {
        // Already seeded (state reloaded from --data-dir).
        if let Some(wan) = gateway {
            move_gateway(sim, &mut st, &dc, wan);
        }
        return Ok(());
    }
    for (n, item) in DEMO_SERVICES.iter().enumerate() {
        sim.register(&mut st, demo_instance(&dc, n, item));
    }
    if let Some(wan) = gateway {
        sim.register(&mut st, mesh_gateway(&dc, wan));
    }
    if let Some(peer) = peer.filter(|p| !p.is_empty()) {
        export_to(sim, &mut st, peer)?;
    }
    Ok(())
}

/// After a restart the gateway's port is new, so its WAN address is; its
/// node ID and check status are kept.
fn move_gateway(sim: &Sim, st: &mut State, dc: &str, wan: &str) {
    let old = st
        .services
        .iter()
        .find(|s| s.kind == MESH_GATEWAY_KIND && s.node == format!("{dc}-mesh-gateway-1"))
        .cloned();
    if let Some(old) = old {
        let mut gw = mesh_gateway(dc, wan);
        gw.node_id = old.node_id;
        gw.checks = old.checks;
        sim.register(st, gw);
    }
}

/// One demo service instance: (service, node, port, tags, check status).
type DemoService = (
    &'static str,
    &'static str,
    u16,
    &'static [&'static str],
    &'static str,
);

const DEMO_SERVICES: [DemoService; 7] = [
    ("web", "web-1", 8080, &["v1", "http"], "passing"),
    ("web", "web-2", 8080, &["v1", "http"], "passing"),
    ("api", "api-1", 9090, &["v2", "grpc"], "passing"),
    ("api", "api-2", 9090, &["v2", "grpc"], "warning"),
    ("payments", "payments-1", 7070, &["pci"], "passing"),
    ("db", "db-1", 5432, &["primary"], "passing"),
    ("db", "db-2", 5432, &["replica"], "critical"),
];

/// The `n`th demo instance, on a node of its own with a serf check and a
/// service check in the given status.
fn demo_instance(dc: &str, n: usize, item: &DemoService) -> ServiceInstance {
    let (svc, node, port, tags, status) = *item;
    let addr = format!("10.{}.0.{}", if dc == "dc1" { 1 } else { 2 }, n + 10);
    let mut node_meta = BTreeMap::new();
    node_meta.insert("zone".to_string(), format!("{dc}-a"));
    let output = match status {
        "passing" => "HTTP GET /health: 200 OK",
        "warning" => "HTTP GET /health: 429 Too Many Requests",
        _ => "dial tcp: connection refused",
    };
    ServiceInstance {
        node: format!("{dc}-{node}"),
        node_id: uuid::Uuid::new_v4().to_string(),
        address: addr.clone(),
        node_meta,
        service_id: format!("{svc}-{}", n + 1),
        service: svc.to_string(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        service_address: addr,
        port,
        service_meta: BTreeMap::from([("version".to_string(), "1.0.0".to_string())]),
        kind: String::new(),
        tagged_addresses: BTreeMap::new(),
        node_tagged_addresses: BTreeMap::new(),
        checks: vec![
            serf_check(),
            check(
                &format!("service:{svc}-{}", n + 1),
                &format!("Service '{svc}' check"),
                status,
                output,
            ),
        ],
        create_index: 0,
        modify_index: 0,
    }
}

/// `--seed-peer`: an `exported-services` entry exporting `web` and
/// `payments` to `peer`.
fn export_to(sim: &Sim, st: &mut State, peer: &str) -> Result<(), String> {
    let mut entry = json!({
        "Kind": "exported-services",
        "Name": "default",
        "Services": [
            { "Name": "web", "Consumers": [ { "Peer": peer } ] },
            { "Name": "payments", "Consumers": [ { "Peer": peer } ] }
        ]
    });
    validate_exports(&sim.cfg.profile, &mut entry)?;
    let idx = Sim::next_index(st);
    if let Some(o) = entry.as_object_mut() {
        o.insert("CreateIndex".into(), json!(idx));
        o.insert("ModifyIndex".into(), json!(idx));
    }
    st.config_entries
        .entry("exported-services".into())
        .or_default()
        .insert("default".into(), entry);
    sim.commit(st, &["config", "catalog"]);
    Ok(())
}
