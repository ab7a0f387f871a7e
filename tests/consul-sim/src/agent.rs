//! `GET /v1/agent/self`.

use serde_json::json;

use crate::acl::Access;
use crate::http_util::{json, ApiReq, ApiResult};
use crate::profile::Change;

/// `GET /v1/agent/self` (needs `agent:read` on this node when ACLs are on).
pub(crate) async fn agent_self(r: ApiReq) -> ApiResult {
    let node_id = {
        let st = r.sim.lock();
        r.require(&st, "agent", Access::Read, Some(&r.sim.cfg.node_name))?;
        st.node_id.clone()
    };
    let addr = r.sim.addr();
    let (host, port) = addr.rsplit_once(':').unwrap_or(("127.0.0.1", "8500"));
    let port: u16 = port.parse().unwrap_or(8500);
    let cfg = &r.sim.cfg;
    let dc = &cfg.datacenter;
    let primary = cfg.primary_datacenter();
    let profile = &cfg.profile;
    let version = profile.version.number();
    // A client agent: `Config.Server` and `DebugConfig.ServerMode` are false,
    // and serf tags it `role=node` (`agent/agent_endpoint.go` `AgentSelf`,
    // `agent/consul/client_serf.go` `setupSerf`).
    let server = !profile.client_agent;
    let mut debug = json!({
        "Datacenter": dc,
        "PrimaryDatacenter": primary,
        "NodeName": cfg.node_name,
        "NodeID": node_id,
        "ServerMode": server,
        "ACLsEnabled": cfg.acls_enabled(),
        "ACLResolverSettings": { "ACLDefaultPolicy": if cfg.acls_enabled() { "deny" } else { "allow" } },
        "PeeringEnabled": cfg.peering_enabled,
        "ConnectEnabled": true,
        "UIConfig": { "Enabled": true }
    });
    if profile.has(Change::DefaultIntentionPolicy) {
        // `RuntimeConfig.DefaultIntentionPolicy` (v1.18.0 `agent/config/runtime.go`),
        // shown sanitized as `DebugConfig`: "" when unset.
        debug["DefaultIntentionPolicy"] = json!(profile
            .default_intention_policy
            .map(|p| p.as_str())
            .unwrap_or(""));
    }
    let body = json!({
        "Config": {
            "Datacenter": dc,
            "PrimaryDatacenter": primary,
            "NodeName": cfg.node_name,
            "NodeID": node_id,
            "Revision": "consul-sim",
            "Server": server,
            "Version": version,
            "BuildDate": "2024-10-14T00:00:00Z"
        },
        "DebugConfig": debug,
        "Coord": { "Vec": [0, 0, 0, 0, 0, 0, 0, 0], "Error": 1.5, "Adjustment": 0, "Height": 0.00001 },
        "Member": {
            "Name": cfg.node_name,
            "Addr": host,
            "Port": port,
            "Tags": {
                "dc": dc,
                "role": if server { "consul" } else { "node" },
                "id": node_id,
                "build": format!("{version}:consul-sim"),
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
        "Meta": { "consul-network-segment": "", "consul-version": version },
        "xDS": null
    });
    Ok(json(&r.q, &body, None))
}

/// `GET /v1/status/leader`: this single server, on Consul's server RPC port.
pub(crate) async fn status_leader(r: ApiReq) -> ApiResult {
    Ok(json(&r.q, &"127.0.0.1:8300", None))
}

/// `GET /v1/status/peers`
pub(crate) async fn status_peers(r: ApiReq) -> ApiResult {
    Ok(json(&r.q, &["127.0.0.1:8300"], None))
}

/// `GET /v1/catalog/datacenters`: this one, then the primary when this is a
/// secondary (Consul sorts them by round-trip time, nearest first).
pub(crate) async fn datacenters(r: ApiReq) -> ApiResult {
    let mut dcs = vec![r.sim.cfg.datacenter.clone()];
    dcs.extend(r.sim.cfg.profile.primary_datacenter.clone());
    Ok(json(&r.q, &dcs, None))
}
