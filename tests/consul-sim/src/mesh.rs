//! The `mesh` and `proxy-defaults` config entries, and what peering takes
//! from them: with `Peering.PeerThroughMeshGateways` on, peering tokens carry
//! the mesh gateways' addresses instead of the servers'
//! (`agent/consul/peering_backend.go`).

use serde_json::{json, Value};

use crate::config_entries::validate_meta;
use crate::http_util::multierror;
use crate::state::{ServiceInstance, State};

/// The kind of a mesh gateway service (`structs.ServiceKindMeshGateway`).
pub const MESH_GATEWAY_KIND: &str = "mesh-gateway";

/// The one name of the `mesh` entry (`structs.MeshConfigMesh`).
pub const MESH_NAME: &str = "mesh";

/// The one name of the `proxy-defaults` entry (`structs.ProxyConfigGlobal`).
pub const PROXY_GLOBAL: &str = "global";

/// What `DecodeConfigEntry` (`agent/structs/config_entry.go`) refuses in a
/// `mesh` entry before anything else: `MeshConfigEntry` has no `Name` field,
/// so the key is unused and `validateUnusedKeys`
/// (`config_entry_ce.go`) answers `invalid config key "Name"` (the HTTP
/// handler `ConfigApply` makes it a 400 `Request decoding failed: …`). The
/// stand-in keeps other unknown keys; this one is refused because a writer
/// that copies the shape of the other kinds sends it.
pub fn mesh_decode_error(entry: &Value) -> Option<String> {
    entry
        .get("Name")
        .is_some()
        .then(|| multierror(&["invalid config key \"Name\"".to_string()]))
}

/// `MeshConfigEntry.Normalize` and `Validate` (`config_entry_mesh.go`):
/// only the meta checks can fail on what a console writes (the TLS and HTTP
/// checks are not imitated). `TransparentProxy` is always in the JSON (no
/// `omitempty`), `Kind` is set by `MarshalJSON`, and the name is `mesh`
/// whatever was asked (`GetName`).
pub fn normalize_mesh(e: &mut Value) -> Result<(), String> {
    if let Some(o) = e.as_object_mut() {
        o.insert("Kind".into(), json!("mesh"));
        o.entry("TransparentProxy")
            .or_insert_with(|| json!({ "MeshDestinationsOnly": false }));
    }
    validate_meta(e.get("Meta"))
}

/// `ProxyConfigEntry.Normalize` then `Validate` (`agent/structs/config_entry.go`):
/// an empty name becomes `global`, any other is refused with
/// `invalid name ("x"), only "global" is supported`; then the meta checks.
/// `MeshGateway.Mode` is not checked: Consul stores any string there
/// (`ValidateMeshGatewayMode` in `connect_proxy_config.go` is called by
/// neither), so neither does the stand-in. `MeshGateway`, `Expose` and
/// `TransparentProxy` are structs without a pointer, so they are always in
/// the JSON (`{}` when empty).
pub fn normalize_proxy_defaults(e: &mut Value) -> Result<(), String> {
    check_proxy_defaults_name(e.get("Name").and_then(Value::as_str).unwrap_or(""))?;
    if let Some(o) = e.as_object_mut() {
        o.insert("Kind".into(), json!("proxy-defaults"));
        o.insert("Name".into(), json!(PROXY_GLOBAL));
        for k in ["TransparentProxy", "MeshGateway", "Expose"] {
            o.entry(k).or_insert_with(|| json!({}));
        }
    }
    validate_meta(e.get("Meta"))
}

/// The name check of `ProxyConfigEntry.Normalize`, which `ConfigEntry.Delete`
/// runs too (`agent/consul/config_endpoint.go`).
pub fn check_proxy_defaults_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name == PROXY_GLOBAL {
        Ok(())
    } else {
        Err(format!(
            "invalid name ({name:?}), only \"{PROXY_GLOBAL}\" is supported"
        ))
    }
}

/// `PeeringBackend.PeerThroughMeshGateways` / `MeshConfigEntry.PeerThroughMeshGateways`:
/// false without a `mesh` entry or without `Peering`.
pub fn peer_through_mesh_gateways(st: &State) -> bool {
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
pub fn best_address(inst: &ServiceInstance, wan: bool) -> (String, u16) {
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
pub fn mesh_gateway_addresses(st: &State, wan: bool) -> Result<Vec<String>, String> {
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
pub fn token_gateway_addresses(st: &State) -> Result<Option<Vec<String>>, String> {
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

    #[test]
    fn proxy_defaults_name() {
        let mut e = json!({"Kind": "proxy-defaults", "MeshGateway": {"Mode": "bogus"}});
        normalize_proxy_defaults(&mut e).unwrap();
        assert_eq!(e["Name"], "global");
        assert_eq!(e["MeshGateway"]["Mode"], "bogus");
        let mut e = json!({"Kind": "proxy-defaults", "Name": "web"});
        assert_eq!(
            normalize_proxy_defaults(&mut e).unwrap_err(),
            "invalid name (\"web\"), only \"global\" is supported"
        );
    }
}
