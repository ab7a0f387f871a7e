//! `GET /v1/agent/self`.

use serde_json::json;

use crate::acl::Access;
use crate::http_util::{json, ApiReq, ApiResult};

/// `GET /v1/agent/self` (needs `agent:read` on this node when ACLs are on).
pub async fn agent_self(r: ApiReq) -> ApiResult {
    let node_id = {
        let st = r.sim.lock();
        r.require(&st, "agent", Access::Read, Some(&r.sim.cfg.node_name))?;
        st.node_id.clone()
    };
    let addr = r.sim.addr();
    let (host, port) = addr.rsplit_once(':').unwrap_or(("127.0.0.1", "8500"));
    let port: u16 = port.parse().unwrap_or(8500);
    let dc = &r.sim.cfg.datacenter;
    let body = json!({
        "Config": {
            "Datacenter": dc,
            "PrimaryDatacenter": dc,
            "NodeName": r.sim.cfg.node_name,
            "NodeID": node_id,
            "Revision": "consul-sim",
            "Server": true,
            "Version": "1.20.0",
            "BuildDate": "2024-10-14T00:00:00Z"
        },
        "DebugConfig": {
            "Datacenter": dc,
            "PrimaryDatacenter": dc,
            "NodeName": r.sim.cfg.node_name,
            "NodeID": node_id,
            "ACLsEnabled": r.sim.cfg.acls_enabled(),
            "ACLResolverSettings": { "ACLDefaultPolicy": if r.sim.cfg.acls_enabled() { "deny" } else { "allow" } },
            "PeeringEnabled": r.sim.cfg.peering_enabled,
            "ConnectEnabled": true,
            "UIConfig": { "Enabled": true }
        },
        "Coord": { "Vec": [0, 0, 0, 0, 0, 0, 0, 0], "Error": 1.5, "Adjustment": 0, "Height": 0.00001 },
        "Member": {
            "Name": r.sim.cfg.node_name,
            "Addr": host,
            "Port": port,
            "Tags": {
                "dc": dc,
                "role": "consul",
                "id": node_id,
                "build": "1.20.0:consul-sim",
                "vsn": "2"
            },
            "Status": 1,
            "ProtocolMin": 1,
            "ProtocolMax": 5,
            "ProtocolCur": 2,
            "DelegateMin": 2,
            "DelegateMax": 5,
            "DelegateCur": 4
        },
        "Stats": {},
        "Meta": { "consul-network-segment": "", "consul-version": "1.20.0" },
        "xDS": null
    });
    Ok(json(&r.q, &body, None))
}

/// `GET /v1/status/leader`: this single server, on Consul's server RPC port.
pub async fn status_leader(r: ApiReq) -> ApiResult {
    Ok(json(&r.q, &"127.0.0.1:8300", None))
}

/// `GET /v1/status/peers`
pub async fn status_peers(r: ApiReq) -> ApiResult {
    Ok(json(&r.q, &["127.0.0.1:8300"], None))
}

/// `GET /v1/catalog/datacenters`: only this one (there is no WAN federation).
pub async fn datacenters(r: ApiReq) -> ApiResult {
    Ok(json(
        &r.q,
        std::slice::from_ref(&r.sim.cfg.datacenter),
        None,
    ))
}
