//! Config entries as a server takes them: decoding (the known kinds, and
//! field names matched the lenient way), the kinds with one fixed name,
//! `Normalize` and `Validate` of each kind the stand-in checks (other kinds
//! are stored as given), the secondary-datacenter gate, and the permission
//! reading or writing an entry needs.

use serde_json::{Map, Value};

use crate::profile::Profile;
use crate::rules::common::s;
use crate::rules::exports::validate_exports;
use crate::rules::intentions::normalize_intentions;
use crate::rules::{mesh, resolver};

const KNOWN_KINDS: [&str; 14] = [
    "service-intentions",
    "exported-services",
    "service-defaults",
    "proxy-defaults",
    "service-router",
    "service-splitter",
    "service-resolver",
    "ingress-gateway",
    "terminating-gateway",
    "api-gateway",
    "mesh",
    "jwt-provider",
    "sameness-group",
    "inline-certificate",
];

/// Canonical field names, so `kind`/`sources`/`path_exact` decode like Consul's
/// lenient decoder.
const FIELDS: [&str; 60] = [
    "Kind",
    "Name",
    "Namespace",
    "Partition",
    "Meta",
    "JWT",
    "Sources",
    "Peer",
    "SamenessGroup",
    "Action",
    "Permissions",
    "Precedence",
    "Type",
    "Description",
    "LegacyID",
    "LegacyMeta",
    "LegacyCreateTime",
    "LegacyUpdateTime",
    "HTTP",
    "PathExact",
    "PathPrefix",
    "PathRegex",
    "Header",
    "Methods",
    "Present",
    "Exact",
    "Prefix",
    "Suffix",
    "Regex",
    "Invert",
    "Services",
    "Consumers",
    "CreateIndex",
    "ModifyIndex",
    "Protocol",
    "Providers",
    "VerifyClaims",
    "Config",
    // mesh and proxy-defaults
    "Peering",
    "PeerThroughMeshGateways",
    "TransparentProxy",
    "MeshDestinationsOnly",
    "MeshGateway",
    "Mode",
    "Expose",
    // service-resolver
    "DefaultSubset",
    "Subsets",
    "Filter",
    "OnlyPassing",
    "Redirect",
    "Failover",
    "Targets",
    "Service",
    "ServiceSubset",
    "Datacenter",
    "Datacenters",
    "Policy",
    "PrioritizeByLocality",
    "ConnectTimeout",
    "RequestTimeout",
];

fn canonical_key(k: &str) -> String {
    let squashed: String = k.chars().filter(|c| *c != '_').collect();
    FIELDS
        .iter()
        .find(|f| f.eq_ignore_ascii_case(&squashed))
        .map(|f| f.to_string())
        .unwrap_or_else(|| k.to_string())
}

fn canonicalize(v: Value, parent: &str) -> Value {
    match v {
        Value::Object(o) => {
            if matches!(parent, "Meta" | "LegacyMeta" | "Config" | "JWT") {
                return Value::Object(o);
            }
            if matches!(parent, "Subsets" | "Failover") {
                // Maps keyed by subset name: the keys are data.
                return Value::Object(
                    o.into_iter()
                        .map(|(k, v)| (k, canonicalize(v, "")))
                        .collect(),
                );
            }
            let mut out = Map::new();
            for (k, v) in o {
                let ck = canonical_key(&k);
                let nv = canonicalize(v, &ck);
                out.insert(ck, nv);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|v| canonicalize(v, parent)).collect()),
        v => v,
    }
}

/// Decodes a `PUT /v1/config` body into its kind and the entry with
/// canonical field names. The error is what follows `Request decoding
/// failed: ` in Consul's 400.
pub(crate) fn decode(body: &[u8]) -> Result<(String, Value), String> {
    let raw_entry: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if !raw_entry.is_object() {
        return Err("expected a JSON object".into());
    }
    let entry = canonicalize(raw_entry, "");
    let kind = s(&entry, "Kind").to_string();
    if kind.is_empty() {
        return Err("Payload does not contain a Kind key at the top level".into());
    }
    if !KNOWN_KINDS.contains(&kind.as_str()) {
        return Err(format!("invalid config entry kind: {kind}"));
    }
    if kind == "mesh" {
        if let Some(e) = mesh::mesh_decode_error(&entry) {
            return Err(e);
        }
    }
    Ok((kind, entry))
}

/// The name an entry is stored under. Entries with one fixed name:
/// `MeshConfigEntry.GetName` is always `mesh`; `ProxyConfigEntry.Normalize`
/// turns an empty name into `global`.
pub(crate) fn entry_name(kind: &str, entry: &Value) -> String {
    match kind {
        "mesh" => mesh::MESH_NAME.to_string(),
        "proxy-defaults" if s(entry, "Name").is_empty() => mesh::PROXY_GLOBAL.to_string(),
        _ => s(entry, "Name").to_string(),
    }
}

/// The name a delete acts on. `ConfigEntry.Delete` normalises the entry it
/// made from the path before `CanWrite`: `proxy-defaults` refuses another
/// name, and a `mesh` entry is named `mesh` whatever the path says.
pub(crate) fn delete_name(kind: &str, name: String) -> Result<String, String> {
    match kind {
        "mesh" => Ok(mesh::MESH_NAME.to_string()),
        "proxy-defaults" => {
            mesh::check_proxy_defaults_name(&name)?;
            Ok(mesh::PROXY_GLOBAL.to_string())
        }
        _ => Ok(name),
    }
}

/// `Normalize` then `Validate` of the entry's kind; other kinds only need a
/// name.
pub(crate) fn normalize(
    profile: &Profile,
    kind: &str,
    name: &str,
    entry: &mut Value,
) -> Result<(), String> {
    match kind {
        "service-intentions" => normalize_intentions(entry),
        "exported-services" => validate_exports(profile, entry),
        "mesh" => mesh::normalize_mesh(entry),
        "proxy-defaults" => mesh::normalize_proxy_defaults(entry),
        "service-resolver" => resolver::validate_resolver(profile, entry),
        _ => {
            if name.is_empty() {
                Err("Name is required".into())
            } else {
                Ok(())
            }
        }
    }
}

/// `gateWriteToSecondary` (`agent/consul/config_endpoint.go`, the first check
/// of `ConfigEntry.Apply`; not of `Delete`): in a secondary datacenter,
/// exported-services writes must name the primary with `?dc=`. The HTTP
/// handler fills an absent `?dc` with the local datacenter (`parseDC`), so
/// over HTTP the answer is always the "must not target secondary" text; the
/// "must target the primary datacenter explicitly" one needs an empty
/// datacenter, which only an RPC caller can send.
pub(crate) fn gate_write_to_secondary(
    kind: &str,
    target_dc: &str,
    primary_dc: &str,
) -> Result<(), String> {
    if kind == "exported-services" && target_dc != primary_dc {
        return Err("exported-services writes must not target secondary datacenters.".into());
    }
    Ok(())
}

/// What reading (or, with `write`, writing) an entry of `kind` named `name`
/// needs: read (or write) on an ACL resource, and the segment it applies
/// to; `None` when anyone may.
pub(crate) fn permission<'a>(
    kind: &str,
    name: &'a str,
    write: bool,
) -> Option<(&'static str, Option<&'a str>)> {
    match kind {
        "service-intentions" => Some(("intention", Some(name))),
        "exported-services" | "sameness-group" | "jwt-provider" => Some(("mesh", None)),
        // `MeshConfigEntry` and `ProxyConfigEntry`: `CanRead` allows anyone,
        // `CanWrite` needs `mesh:write` (`config_entry_mesh.go`,
        // `config_entry.go`).
        "mesh" | "proxy-defaults" => write.then_some(("mesh", None)),
        _ => Some(("service", Some(name))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn snake_case_keys() {
        let v = canonicalize(
            json!({"kind": "service-intentions", "sources": [{"name": "a", "permissions": [{"http": {"path_exact": "/x"}}]}], "meta": {"my_key": "v"}}),
            "",
        );
        assert_eq!(v["Kind"], "service-intentions");
        assert_eq!(v["Sources"][0]["Permissions"][0]["HTTP"]["PathExact"], "/x");
        assert_eq!(v["Meta"]["my_key"], "v");
    }
}
