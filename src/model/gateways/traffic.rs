//! How traffic reaches peers: the `mesh` entry's `Peering.PeerThroughMeshGateways`, the global
//! `proxy-defaults` entry's `MeshGateway.Mode`, the mesh gateways registered here, and when the
//! console warns that peering traffic has no healthy gateway to go through. Editing the two
//! settings is `change`.
//!
//! Field names and values come from Consul's `agent/structs/config_entry_mesh.go`
//! (`PeeringMeshConfig`), `agent/structs/config_entry.go` (`ProxyConfigEntry`, the name must be
//! `global`) and `agent/structs/connect_proxy_config.go` (`MeshGatewayMode`: "", none, local,
//! remote). Both entries stay JSON values: a change touches only its own field.
use crate::model::consul::config_entry::text;
use serde_json::Value;

pub const MESH_KIND: &str = "mesh";
/// Consul names the one mesh entry `mesh` (`MeshConfigMesh`).
pub const MESH_NAME: &str = "mesh";
pub const PROXY_KIND: &str = "proxy-defaults";
/// Consul accepts only `global` (`ProxyConfigGlobal`; "invalid name (%q), only %q is supported").
pub const PROXY_NAME: &str = "global";
/// `ServiceKindMeshGateway`.
pub const MESH_GATEWAY_KIND: &str = "mesh-gateway";

pub const FIELD_PEER_THROUGH: &str = "Peering.PeerThroughMeshGateways";
pub const FIELD_MODE: &str = "MeshGateway.Mode";

/// `MeshGateway.Mode` of the global proxy-defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GatewayMode {
    /// Unset (""): a service's own setting decides; otherwise peered upstreams dial the peer's
    /// gateway directly, like `remote`.
    #[default]
    Default,
    None,
    Local,
    Remote,
}

impl GatewayMode {
    pub const ALL: [GatewayMode; 4] = [Self::Default, Self::None, Self::Local, Self::Remote];

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "" => Some(Self::Default),
            "none" => Some(Self::None),
            "local" => Some(Self::Local),
            "remote" => Some(Self::Remote),
            _ => None,
        }
    }

    /// Consul's spelling ("" for the default).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "",
            Self::None => "none",
            Self::Local => "local",
            Self::Remote => "remote",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Default => "not set (default)",
            Self::None => "none",
            Self::Local => "local",
            Self::Remote => "remote",
        }
    }

    /// What the mode means for traffic to services imported from peers.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Default | Self::Remote => "Sidecars send traffic for a peer's services straight to the peer's mesh gateway. This cluster needs no gateway of its own for outgoing peer traffic; the exporting cluster always needs one.",
            Self::Local => "Sidecars send traffic for a peer's services through a mesh gateway in this cluster, which forwards it to the peer's gateway. Without a healthy local gateway, calls to peer services fail.",
            // agent/xds/endpoints.go (makeUpstreamLoadAssignmentForPeerService): "invalid mesh
            // gateway mode 'none', defaulting to 'remote'" for peered upstreams.
            Self::None => "For a peer's services Consul treats none as remote (it logs that none is invalid for peered upstreams): sidecars dial the peer's mesh gateway directly.",
        }
    }
}

/// `Peering.PeerThroughMeshGateways` of the mesh entry (absent: false).
pub fn peer_through_gateways(mesh: Option<&Value>) -> bool {
    mesh.and_then(|m| m.get("Peering"))
        .and_then(|p| p.get("PeerThroughMeshGateways"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// `MeshGateway.Mode` of the proxy-defaults entry; `Err` with Consul's word when it is one the
/// console does not know.
pub fn gateway_mode(proxy: Option<&Value>) -> Result<GatewayMode, String> {
    let mode = proxy
        .and_then(|p| p.get("MeshGateway"))
        .map(|m| text(m, "Mode"))
        .unwrap_or_default();
    GatewayMode::parse(&mode).ok_or(mode)
}

/// A mesh gateway instance registered in this cluster, from `/v1/health/service/:name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayInstance {
    pub service: String,
    pub id: String,
    pub node: String,
    /// The address a token would carry: `CheckServiceNode.BestAddress(wan=true)` in
    /// `agent/structs/structs.go` (service WAN, service, node WAN, node), with the port.
    pub address: String,
    pub health: Health,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    Passing,
    Warning,
    Critical,
}

impl Health {
    pub fn label(self) -> &'static str {
        match self {
            Self::Passing => "passing",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }

    /// Warning still receives traffic (Consul's default `OnlyPassing = false`).
    pub fn healthy(self) -> bool {
        self != Self::Critical
    }
}

fn tagged(v: Option<&Value>, key: &str) -> Option<Value> {
    v?.get("TaggedAddresses")?.get(key).cloned()
}

/// The instances of one gateway service, as `/v1/health/service/:name` lists them.
pub fn gateway_instances(health: &[Value]) -> Vec<GatewayInstance> {
    health
        .iter()
        .filter_map(|csn| {
            let service = csn.get("Service")?;
            let node = csn.get("Node");
            let port = service.get("Port").and_then(Value::as_u64).unwrap_or(0);
            let service_wan = tagged(Some(service), "wan").and_then(|w| {
                let addr = text(&w, "Address");
                let p = w.get("Port").and_then(Value::as_u64).unwrap_or(port);
                (!addr.is_empty()).then_some((addr, p))
            });
            let node_wan = tagged(node, "wan")
                .and_then(|w| w.as_str().map(str::to_string))
                .filter(|a| !a.is_empty());
            let (addr, port) = service_wan
                .or_else(|| Some((text(service, "Address"), port)).filter(|(a, _)| !a.is_empty()))
                .or_else(|| node_wan.map(|a| (a, port)))
                .unwrap_or_else(|| (node.map(|n| text(n, "Address")).unwrap_or_default(), port));
            let worst = csn
                .get("Checks")
                .and_then(Value::as_array)
                .map(|checks| {
                    checks
                        .iter()
                        .map(|c| match text(c, "Status").as_str() {
                            "passing" => Health::Passing,
                            "warning" => Health::Warning,
                            _ => Health::Critical,
                        })
                        .max()
                        .unwrap_or(Health::Passing)
                })
                .unwrap_or(Health::Passing);
            Some(GatewayInstance {
                service: text(service, "Service"),
                id: text(service, "ID"),
                node: node.map(|n| text(n, "Node")).unwrap_or_default(),
                address: if addr.contains(':') && !addr.starts_with('[') {
                    format!("[{addr}]:{port}")
                } else {
                    format!("{addr}:{port}")
                },
                health: worst,
            })
        })
        .collect()
}

/// The names of mesh gateway services in `/v1/internal/ui/services` (`Kind: mesh-gateway`).
pub fn gateway_services(summaries: &[Value]) -> Vec<String> {
    summaries
        .iter()
        .filter(|s| text(s, "Kind") == MESH_GATEWAY_KIND && text(s, "PeerName").is_empty())
        .map(|s| text(s, "Name"))
        .collect()
}

/// What the warning rules look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayFacts {
    pub peer_through: bool,
    /// `Err`: a mode the console does not know.
    pub mode: Option<GatewayMode>,
    /// Peers this cluster exports at least one service to.
    pub exporting_to: Vec<String>,
    pub healthy: usize,
    pub registered: usize,
}

/// Why peering traffic has no healthy gateway to go through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayWarning {
    /// This cluster exports to peers: their calls arrive through this cluster's mesh gateway.
    Exports(Vec<String>),
    /// Mode `local`: calls to peer services leave through a local gateway.
    LocalMode,
    /// Peering control-plane traffic goes through the gateways: new tokens carry their
    /// addresses, and generating fails when none is registered.
    PeerThrough,
}

impl GatewayWarning {
    /// What the missing gateway breaks.
    pub fn text(&self) -> String {
        match self {
            Self::Exports(peers) => format!(
                "This cluster exports services to {}: their calls to those services cannot arrive.",
                peers.join(", ")
            ),
            Self::LocalMode => "The mesh gateway mode is local: calls from this cluster to services imported from peers fail.".into(),
            Self::PeerThrough => "PeerThroughMeshGateways is on: peering streams cannot reach this cluster's servers, and generating a peering token fails.".into(),
        }
    }
}

/// The warnings' heading: no gateway, or none healthy.
pub fn missing_gateway(facts: &GatewayFacts) -> String {
    match facts.registered {
        0 => "No mesh gateway is registered in this cluster".into(),
        1 => "The one mesh gateway instance registered in this cluster is not healthy".into(),
        n => {
            format!("None of the {n} mesh gateway instances registered in this cluster is healthy")
        }
    }
}

/// The warnings to show: none while a healthy gateway is registered.
pub fn gateway_warnings(facts: &GatewayFacts) -> Vec<GatewayWarning> {
    if facts.healthy > 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    if !facts.exporting_to.is_empty() {
        out.push(GatewayWarning::Exports(facts.exporting_to.clone()));
    }
    if facts.mode == Some(GatewayMode::Local) {
        out.push(GatewayWarning::LocalMode);
    }
    if facts.peer_through {
        out.push(GatewayWarning::PeerThrough);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reading_both_settings() {
        assert!(!peer_through_gateways(None));
        assert!(peer_through_gateways(Some(
            &json!({"Peering": {"PeerThroughMeshGateways": true}})
        )));
        assert_eq!(gateway_mode(None), Ok(GatewayMode::Default));
        assert_eq!(
            gateway_mode(Some(&json!({"MeshGateway": {"Mode": "local"}}))),
            Ok(GatewayMode::Local)
        );
        assert_eq!(
            gateway_mode(Some(&json!({"MeshGateway": {"Mode": "sideways"}}))),
            Err("sideways".to_string())
        );
    }

    #[test]
    fn gateway_instances_prefer_the_wan_address_and_take_the_worst_check() {
        let list = vec![
            json!({"Node": {"Node": "n1", "Address": "10.0.0.1"},
                   "Service": {"ID": "gw-1", "Service": "mesh-gateway", "Kind": "mesh-gateway", "Address": "10.0.0.5", "Port": 8443,
                               "TaggedAddresses": {"wan": {"Address": "203.0.113.5", "Port": 443}}},
                   "Checks": [{"Status": "passing"}, {"Status": "warning"}]}),
            json!({"Node": {"Node": "n2", "Address": "10.0.0.2", "TaggedAddresses": {"wan": "198.51.100.2"}},
                   "Service": {"ID": "gw-2", "Service": "mesh-gateway", "Address": "", "Port": 8443},
                   "Checks": [{"Status": "critical"}]}),
            json!({"Node": {"Node": "n3", "Address": "10.0.0.3"}, "Service": {"ID": "gw-3", "Service": "mesh-gateway", "Port": 8443}}),
        ];
        let got = gateway_instances(&list);
        assert_eq!(got[0].address, "203.0.113.5:443");
        assert_eq!(got[0].health, Health::Warning);
        assert!(got[0].health.healthy());
        assert_eq!(got[1].address, "198.51.100.2:8443");
        assert_eq!(got[1].health, Health::Critical);
        assert_eq!(got[2].address, "10.0.0.3:8443");
        let summaries = vec![
            json!({"Name": "mesh-gateway", "Kind": "mesh-gateway"}),
            json!({"Name": "web"}),
            json!({"Name": "gw", "Kind": "mesh-gateway", "PeerName": "dc2"}),
        ];
        assert_eq!(gateway_services(&summaries), ["mesh-gateway"]);
    }

    #[test]
    fn warnings_only_without_a_healthy_gateway_and_only_for_what_needs_one() {
        let quiet = GatewayFacts::default();
        assert!(
            gateway_warnings(&quiet).is_empty(),
            "nothing needs a gateway"
        );
        let facts = GatewayFacts {
            peer_through: true,
            mode: Some(GatewayMode::Local),
            exporting_to: vec!["dc2".into()],
            healthy: 0,
            registered: 1,
        };
        let w = gateway_warnings(&facts);
        assert_eq!(
            w,
            vec![
                GatewayWarning::Exports(vec!["dc2".into()]),
                GatewayWarning::LocalMode,
                GatewayWarning::PeerThrough
            ]
        );
        assert_eq!(
            w[0].text(),
            "This cluster exports services to dc2: their calls to those services cannot arrive."
        );
        assert_eq!(
            missing_gateway(&facts),
            "The one mesh gateway instance registered in this cluster is not healthy"
        );
        let none = GatewayFacts {
            registered: 0,
            ..facts.clone()
        };
        assert_eq!(
            missing_gateway(&none),
            "No mesh gateway is registered in this cluster"
        );
        let three = GatewayFacts {
            registered: 3,
            ..facts.clone()
        };
        assert_eq!(
            missing_gateway(&three),
            "None of the 3 mesh gateway instances registered in this cluster is healthy"
        );
        assert!(gateway_warnings(&GatewayFacts {
            healthy: 1,
            ..facts.clone()
        })
        .is_empty());
        let remote = GatewayFacts {
            mode: Some(GatewayMode::Remote),
            peer_through: false,
            exporting_to: vec![],
            ..facts
        };
        assert!(gateway_warnings(&remote).is_empty());
    }
}
