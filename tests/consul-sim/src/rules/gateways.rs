//! Which addresses a peering token carries: with the `mesh` entry's
//! `Peering.PeerThroughMeshGateways` on, the mesh gateways' instead of the
//! servers' (`agent/consul/peering_backend.go`).

use serde_json::Value;

use crate::rules::mesh::{MESH_GATEWAY_KIND, MESH_NAME};
use crate::state::{ServiceInstance, State};

/// `PeeringBackend.PeerThroughMeshGateways` / `MeshConfigEntry.PeerThroughMeshGateways`:
/// false without a `mesh` entry or without `Peering`.
fn peer_through_mesh_gateways(st: &State) -> bool {
    st.config_entries
        .get("mesh")
        .and_then(|m| m.get(MESH_NAME))
        .and_then(|e| e.get("Peering"))
        .and_then(|p| p.get("PeerThroughMeshGateways"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// `CheckServiceNode.BestAddress` (`agent/structs/structs.go`): the
/// service's `wan` tagged address (its port when not 0), else the service
/// address, else the node's `wan` tagged address, else the node address.
/// With `wan` false only the service and node addresses count.
fn best_address(inst: &ServiceInstance, wan: bool) -> (String, u16) {
    let (mut addr, mut port) = (inst.service_address.clone(), inst.port);
    if wan {
        if let Some(t) = inst.tagged_addresses.get("wan") {
            addr = t.address.clone();
            if t.port != 0 {
                port = t.port;
            }
        }
    }
    if addr.is_empty() {
        addr = wan
            .then(|| inst.node_tagged_addresses.get("wan").cloned())
            .flatten()
            .unwrap_or_else(|| inst.address.clone());
    }
    (addr, port)
}

/// `ipaddr.FormatAddressPort`: IPv6 addresses in brackets.
fn format_address_port(addr: &str, port: u16) -> String {
    if addr.contains(':') {
        format!("[{addr}]:{port}")
    } else {
        format!("{addr}:{port}")
    }
}

/// `meshGatewayAdresses` (`peering_backend.go`): every local mesh gateway
/// instance, healthy or not (`ServiceDump` of the kind), at its best address.
fn mesh_gateway_addresses(st: &State, wan: bool) -> Result<Vec<String>, String> {
    let mut gateways: Vec<&ServiceInstance> = st
        .services
        .iter()
        .filter(|s| s.kind == MESH_GATEWAY_KIND)
        .collect();
    gateways.sort_by(|a, b| (&a.node, &a.service_id).cmp(&(&b.node, &b.service_id)));
    let addrs: Vec<String> = gateways
        .into_iter()
        .map(|g| {
            let (addr, port) = best_address(g, wan);
            format_address_port(&addr, port)
        })
        .collect();
    if addrs.is_empty() {
        return Err("servers are configured to PeerThroughMeshGateways, but no mesh gateway instances are registered".into());
    }
    Ok(addrs)
}

/// `PeeringBackend.GetLocalServerAddresses`: with `PeerThroughMeshGateways`
/// on, the mesh gateways' WAN addresses (or its error); otherwise `None`, and
/// the caller uses the server's own address as before.
pub(crate) fn token_gateway_addresses(st: &State) -> Result<Option<Vec<String>>, String> {
    if !peer_through_mesh_gateways(st) {
        return Ok(None);
    }
    mesh_gateway_addresses(st, true).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::ServiceAddress;

    fn gw(svc_addr: &str, wan: Option<(&str, u16)>) -> ServiceInstance {
        let mut inst = ServiceInstance {
            node: "n".into(),
            address: "10.0.0.1".into(),
            service_address: svc_addr.into(),
            port: 8443,
            kind: MESH_GATEWAY_KIND.into(),
            ..Default::default()
        };
        if let Some((a, p)) = wan {
            inst.tagged_addresses.insert(
                "wan".into(),
                ServiceAddress {
                    address: a.into(),
                    port: p,
                },
            );
        }
        inst
    }

    #[test]
    fn best_address_prefers_wan() {
        assert_eq!(
            best_address(&gw("10.0.0.2", Some(("1.2.3.4", 443))), true),
            ("1.2.3.4".into(), 443)
        );
        assert_eq!(
            best_address(&gw("10.0.0.2", Some(("1.2.3.4", 0))), true),
            ("1.2.3.4".into(), 8443)
        );
        assert_eq!(
            best_address(&gw("10.0.0.2", Some(("1.2.3.4", 443))), false),
            ("10.0.0.2".into(), 8443)
        );
        assert_eq!(best_address(&gw("", None), true), ("10.0.0.1".into(), 8443));
        assert_eq!(format_address_port("::1", 8443), "[::1]:8443");
    }
}
