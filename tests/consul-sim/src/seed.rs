//! `--seed demo [--seed-peer NAME]`: a handful of services with health
//! checks, and an exported-services entry exporting some of them.

use std::collections::BTreeMap;

use serde_json::json;

use crate::catalog::upsert;
use crate::config_entries::validate_exports;
use crate::state::{Check, ServiceInstance, Sim};

fn check(id: &str, name: &str, status: &str, output: &str) -> Check {
    Check {
        check_id: id.into(),
        name: name.into(),
        status: status.into(),
        notes: String::new(),
        output: output.into(),
    }
}

pub fn apply(sim: &Sim, seed: &str, peer: Option<&str>) -> Result<(), String> {
    if seed != "demo" {
        return Err(format!("unknown seed {seed:?} (known: demo)"));
    }
    let mut st = sim.lock();
    if st.services.iter().any(|s| s.service == "web") {
        return Ok(()); // already seeded (state reloaded from --data-dir)
    }
    let dc = sim.cfg.datacenter.clone();
    // (service, node, port, tags, check status)
    let items: [(&str, &str, u16, &[&str], &str); 7] = [
        ("web", "web-1", 8080, &["v1", "http"], "passing"),
        ("web", "web-2", 8080, &["v1", "http"], "passing"),
        ("api", "api-1", 9090, &["v2", "grpc"], "passing"),
        ("api", "api-2", 9090, &["v2", "grpc"], "warning"),
        ("payments", "payments-1", 7070, &["pci"], "passing"),
        ("db", "db-1", 5432, &["primary"], "passing"),
        ("db", "db-2", 5432, &["replica"], "critical"),
    ];
    for (n, (svc, node, port, tags, status)) in items.iter().enumerate() {
        let addr = format!("10.{}.0.{}", if dc == "dc1" { 1 } else { 2 }, n + 10);
        let mut node_meta = BTreeMap::new();
        node_meta.insert("zone".to_string(), format!("{dc}-a"));
        let output = match *status {
            "passing" => "HTTP GET /health: 200 OK",
            "warning" => "HTTP GET /health: 429 Too Many Requests",
            _ => "dial tcp: connection refused",
        };
        let inst = ServiceInstance {
            node: format!("{dc}-{node}"),
            node_id: uuid::Uuid::new_v4().to_string(),
            address: addr.clone(),
            node_meta,
            service_id: format!("{svc}-{}", n + 1),
            service: svc.to_string(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            service_address: addr,
            port: *port,
            service_meta: BTreeMap::from([("version".to_string(), "1.0.0".to_string())]),
            kind: String::new(),
            checks: vec![
                check(
                    "serfHealth",
                    "Serf Health Status",
                    "passing",
                    "Agent alive and reachable",
                ),
                check(
                    &format!("service:{svc}-{}", n + 1),
                    &format!("Service '{svc}' check"),
                    status,
                    output,
                ),
            ],
            create_index: 0,
            modify_index: 0,
        };
        upsert(sim, &mut st, inst);
    }
    if let Some(peer) = peer.filter(|p| !p.is_empty()) {
        let mut entry = json!({
            "Kind": "exported-services",
            "Name": "default",
            "Services": [
                { "Name": "web", "Consumers": [ { "Peer": peer } ] },
                { "Name": "payments", "Consumers": [ { "Peer": peer } ] }
            ]
        });
        validate_exports(&sim.cfg.profile, &mut entry)?;
        let idx = Sim::next_index(&st);
        if let Some(o) = entry.as_object_mut() {
            o.insert("CreateIndex".into(), json!(idx));
            o.insert("ModifyIndex".into(), json!(idx));
        }
        st.config_entries
            .entry("exported-services".into())
            .or_default()
            .insert("default".into(), entry);
        sim.commit(&mut st, &["config", "catalog"]);
    }
    Ok(())
}
