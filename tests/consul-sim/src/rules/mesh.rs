//! The `mesh` and `proxy-defaults` config entries: their fixed names, what
//! the decoder refuses, and `Normalize`/`Validate` as far as the stand-in
//! imitates them. What peering takes from the `mesh` entry is in
//! `gateways.rs`.

use serde_json::{json, Value};

use crate::rules::common::{multierror, validate_meta};

/// The kind of a mesh gateway service (`structs.ServiceKindMeshGateway`).
pub(crate) const MESH_GATEWAY_KIND: &str = "mesh-gateway";

/// The one name of the `mesh` entry (`structs.MeshConfigMesh`).
pub(crate) const MESH_NAME: &str = "mesh";

/// The one name of the `proxy-defaults` entry (`structs.ProxyConfigGlobal`).
pub(crate) const PROXY_GLOBAL: &str = "global";

/// What `DecodeConfigEntry` (`agent/structs/config_entry.go`) refuses in a
/// `mesh` entry before anything else: `MeshConfigEntry` has no `Name` field,
/// so the key is unused and `validateUnusedKeys`
/// (`config_entry_ce.go`) answers `invalid config key "Name"` (the HTTP
/// handler `ConfigApply` makes it a 400 `Request decoding failed: …`). The
/// stand-in keeps other unknown keys; this one is refused because a writer
/// that copies the shape of the other kinds sends it.
pub(crate) fn mesh_decode_error(entry: &Value) -> Option<String> {
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
pub(crate) fn normalize_mesh(e: &mut Value) -> Result<(), String> {
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
pub(crate) fn normalize_proxy_defaults(e: &mut Value) -> Result<(), String> {
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
pub(crate) fn check_proxy_defaults_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name == PROXY_GLOBAL {
        Ok(())
    } else {
        Err(format!(
            "invalid name ({name:?}), only \"{PROXY_GLOBAL}\" is supported"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
