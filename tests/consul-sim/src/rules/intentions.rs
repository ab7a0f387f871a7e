//! The `service-intentions` config entry and what it decides.
//!
//! - Normalisation and validation follow `ServiceIntentionsConfigEntry`
//!   (`agent/structs/config_entry_intentions.go`): `normalize` sets defaults
//!   and each source's precedence (`computeIntentionPrecedence`), then
//!   stable-sorts the sources, highest first; `validate` then checks them in
//!   that sorted order, so its indexes are those of the sorted list.
//! - The decision of `GET /v1/connect/intentions/check` imitates
//!   `agent/consul/intention_endpoint.go` `Intention.Check` (the match
//!   through `state.Store.IntentionMatchOne`, then `IntentionDecision`) and
//!   the default of `agent/consul/util.go` `DefaultIntentionAllow`, v1.18.0.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::profile::{Change, Profile};
use crate::rules::common::{arr, is_default, s, validate_meta};
use crate::state::State;

/// The HTTP methods a permission may name.
const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// Normalises (defaults, lowercased actions, precedence, sort) then
/// validates a service-intentions entry, in Consul's order.
pub(crate) fn normalize_intentions(e: &mut Value) -> Result<(), String> {
    let name = s(e, "Name").to_string();
    let dest_ns = s(e, "Namespace").to_string();
    let sources = normalize_sources(e, &name, &dest_ns)?;
    validate_intentions(e, &name, &dest_ns, &sources)
}

/// How many of a name and its namespace are exact (not `*`), as
/// `computeIntentionPrecedence` counts them.
fn count_exact(name: &str, ns: &str) -> i64 {
    if ns == "*" {
        0
    } else if name == "*" {
        1
    } else {
        2
    }
}

/// `computeIntentionPrecedence`: the more exact the destination, then the
/// source, the higher.
fn precedence(name: &str, dest_ns: &str, src_name: &str, src_ns: &str) -> i64 {
    let dmax = match count_exact(name, dest_ns) {
        2 => 9,
        1 => 6,
        _ => 3,
    };
    dmax - (2 - count_exact(src_name, src_ns))
}

/// `normalize`: each source's defaults and precedence, then the sources
/// stable-sorted by precedence, highest first, and written back with `Kind`.
fn normalize_sources(e: &mut Value, name: &str, dest_ns: &str) -> Result<Vec<Value>, String> {
    let mut sources: Vec<Value> = arr(e, "Sources").into_iter().cloned().collect();
    for src in sources.iter_mut() {
        let Some(o) = src.as_object_mut() else {
            return Err("Sources: expected an object".into());
        };
        normalize_source(o, name, dest_ns);
    }
    sources.sort_by_key(|s| -s.get("Precedence").and_then(Value::as_i64).unwrap_or(0));
    if let Some(o) = e.as_object_mut() {
        o.insert("Kind".into(), json!("service-intentions"));
        o.insert("Sources".into(), Value::Array(sources.clone()));
    }
    Ok(sources)
}

/// One source: `Type` defaults to `consul`, actions are lower case (an empty
/// one is dropped), and `Precedence` is computed.
fn normalize_source(o: &mut Map<String, Value>, name: &str, dest_ns: &str) {
    let ty = o.get("Type").and_then(Value::as_str).unwrap_or("");
    if ty.is_empty() {
        o.insert("Type".into(), json!("consul"));
    }
    if let Some(a) = o.get("Action").and_then(Value::as_str) {
        let lower = a.to_lowercase();
        if lower.is_empty() {
            o.remove("Action");
        } else {
            o.insert("Action".into(), json!(lower));
        }
    }
    if let Some(perms) = o.get_mut("Permissions").and_then(Value::as_array_mut) {
        for p in perms.iter_mut() {
            if let Some(po) = p.as_object_mut() {
                if let Some(a) = po.get("Action").and_then(Value::as_str) {
                    let lower = a.to_lowercase();
                    po.insert("Action".into(), json!(lower));
                }
            }
        }
    }
    let src_name = o.get("Name").and_then(Value::as_str).unwrap_or("");
    let src_ns = o.get("Namespace").and_then(Value::as_str).unwrap_or("");
    let prec = precedence(name, dest_ns, src_name, src_ns);
    o.insert("Precedence".into(), json!(prec));
}

/// The wildcard rules of a name with its namespace, peer and sameness group.
fn validate_wildcards(name: &str, ns: &str, peer: &str, sg: &str) -> Result<(), String> {
    let ns = if ns.is_empty() { "default" } else { ns };
    if ns != "*" && ns.contains('*') {
        return Err("Namespace: wildcard character '*' cannot be used with partial values".into());
    }
    if name != "*" {
        if name.contains('*') {
            return Err("Name: wildcard character '*' cannot be used with partial values".into());
        }
        if ns == "*" {
            return Err("Name: exact value cannot follow wildcard namespace".into());
        }
    }
    if peer.contains('*') {
        return Err("Peer: cannot use wildcard '*' in peer".into());
    }
    if sg.contains('*') {
        return Err("SamenessGroup: cannot use wildcard '*' in sameness group".into());
    }
    Ok(())
}

/// `validate`: the entry, then each (sorted) source, then duplicates.
fn validate_intentions(
    e: &Value,
    name: &str,
    dest_ns: &str,
    sources: &[Value],
) -> Result<(), String> {
    if name.is_empty() {
        return Err("Name is required".into());
    }
    validate_wildcards(name, dest_ns, "", "")?;
    let dest_wild = name == "*" || dest_ns == "*";
    validate_meta(e.get("Meta"))?;
    if sources.is_empty() {
        return Err("At least one source is required".into());
    }
    let mut seen = BTreeSet::new();
    for (i, src) in sources.iter().enumerate() {
        validate_source(i, src, dest_wild)?;
        let (sname, peer, sg) = (s(src, "Name"), s(src, "Peer"), s(src, "SamenessGroup"));
        let key = (peer.to_string(), sg.to_string(), sname.to_string());
        if !seen.insert(key) {
            return Err(if !peer.is_empty() {
                format!("Sources[{i}] defines peer({peer:?}) {sname:?} more than once")
            } else if !sg.is_empty() {
                format!("Sources[{i}] defines sameness-group({sg:?}) {sname:?} more than once")
            } else {
                format!("Sources[{i}] defines {sname:?} more than once")
            });
        }
    }
    Ok(())
}

/// One source: its name and where it comes from, the legacy fields, the
/// action or permissions, the type, then each permission.
fn validate_source(i: usize, src: &Value, dest_wild: bool) -> Result<(), String> {
    validate_source_origin(i, src)?;
    if s(src, "Description").len() > 512 {
        return Err(format!(
            "Sources[{i}].Description exceeds maximum length 512"
        ));
    }
    validate_legacy_fields(i, src)?;
    let perms = arr(src, "Permissions");
    let action = s(src, "Action");
    if perms.is_empty() && !matches!(action, "allow" | "deny") {
        return Err(format!(
            "Sources[{i}].Action must be set to 'allow' or 'deny'"
        ));
    }
    if !perms.is_empty() && !action.is_empty() {
        return Err(format!(
            "Sources[{i}].Action must be omitted if Permissions are specified"
        ));
    }
    if dest_wild && !perms.is_empty() {
        return Err(format!(
            "Sources[{i}].Permissions cannot be specified on intentions with wildcarded destinations"
        ));
    }
    if s(src, "Type") != "consul" {
        return Err(format!("Sources[{i}].Type must be set to 'consul'"));
    }
    for (j, perm) in perms.iter().enumerate() {
        validate_permission(i, j, perm)?;
    }
    Ok(())
}

/// A source's name, wildcards, and which of peer, partition and sameness
/// group it may combine.
fn validate_source_origin(i: usize, src: &Value) -> Result<(), String> {
    let sname = s(src, "Name");
    let peer = s(src, "Peer");
    let sg = s(src, "SamenessGroup");
    let part = s(src, "Partition");
    if sname.is_empty() {
        return Err(format!("Sources[{i}].Name is required"));
    }
    validate_wildcards(sname, s(src, "Namespace"), peer, sg)
        .map_err(|e| format!("Sources[{i}].{e}"))?;
    if !peer.is_empty() && !is_default(part) {
        return Err(format!(
            "Sources[{i}].Peer: cannot set Peer and Partition at the same time."
        ));
    }
    if !sg.is_empty() && !is_default(part) {
        return Err(format!(
            "Sources[{i}].SamenessGroup: cannot set SamenessGroup and Partition at the same time"
        ));
    }
    if !sg.is_empty() && !peer.is_empty() {
        return Err(format!(
            "Sources[{i}].SamenessGroup: cannot set SamenessGroup and Peer at the same time"
        ));
    }
    Ok(())
}

/// The legacy fields, which a config entry must not set.
fn validate_legacy_fields(i: usize, src: &Value) -> Result<(), String> {
    if src
        .get("LegacyMeta")
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty())
    {
        return Err(format!("Sources[{i}].LegacyMeta must be omitted"));
    }
    if src.get("LegacyCreateTime").is_some_and(|v| !v.is_null()) {
        return Err(format!("Sources[{i}].LegacyCreateTime must be omitted"));
    }
    if src.get("LegacyUpdateTime").is_some_and(|v| !v.is_null()) {
        return Err(format!("Sources[{i}].LegacyUpdateTime must be omitted"));
    }
    if !s(src, "LegacyID").is_empty() {
        return Err(format!("Sources[{i}].LegacyID must be omitted"));
    }
    Ok(())
}

/// `Sources[i].Permissions[j]`: its action and its `HTTP` match.
fn validate_permission(i: usize, j: usize, perm: &Value) -> Result<(), String> {
    if !matches!(s(perm, "Action"), "allow" | "deny") {
        return Err(format!(
            "Sources[{i}].Permissions[{j}].Action must be set to 'allow' or 'deny'"
        ));
    }
    let pre = format!("Sources[{i}].Permissions[{j}].HTTP");
    let Some(http) = perm.get("HTTP").filter(|h| h.is_object()) else {
        return Err(format!("{pre} is required"));
    };
    let mut parts = validate_http_path(&pre, http)?;
    for (k, hdr) in arr(http, "Header").iter().enumerate() {
        validate_http_header(&pre, k, hdr)?;
        parts += 1;
    }
    let methods = arr(http, "Methods");
    if !methods.is_empty() {
        validate_http_methods(&pre, &methods)?;
        parts += 1;
    }
    if parts == 0 {
        return Err(format!("{pre} should not be empty"));
    }
    Ok(())
}

/// At most one of the path matches, the exact and prefix ones starting with
/// `/`. Returns how many are set.
fn validate_http_path(pre: &str, http: &Value) -> Result<usize, String> {
    let mut parts = 0;
    for (f, must_slash) in [
        ("PathExact", true),
        ("PathPrefix", true),
        ("PathRegex", false),
    ] {
        let v = s(http, f);
        if !v.is_empty() {
            parts += 1;
            if must_slash && !v.starts_with('/') {
                return Err(format!("{pre}.{f} doesn't start with '/': {v:?}"));
            }
        }
    }
    if parts > 1 {
        return Err(format!(
            "{pre} should only contain at most one of PathExact, PathPrefix, or PathRegex"
        ));
    }
    Ok(parts)
}

/// `Header[k]`: a name and exactly one way to match.
fn validate_http_header(pre: &str, k: usize, hdr: &Value) -> Result<(), String> {
    if s(hdr, "Name").is_empty() {
        return Err(format!("{pre}.Header[{k}] missing required Name field"));
    }
    let mut n = 0;
    if hdr.get("Present").and_then(Value::as_bool).unwrap_or(false) {
        n += 1;
    }
    for f in ["Exact", "Regex", "Prefix", "Suffix"] {
        if !s(hdr, f).is_empty() {
            n += 1;
        }
    }
    if n != 1 {
        return Err(format!(
            "{pre}.Header[{k}] should only contain one of Present, Exact, Prefix, Suffix, or Regex"
        ));
    }
    Ok(())
}

/// `Methods`: known methods, each at most once.
fn validate_http_methods(pre: &str, methods: &[&Value]) -> Result<(), String> {
    let mut found = BTreeSet::new();
    for m in methods {
        let m = m.as_str().unwrap_or("");
        if !METHODS.contains(&m) {
            return Err(format!("{pre}.Methods contains an invalid method {m:?}"));
        }
        if !found.insert(m) {
            return Err(format!("{pre}.Methods contains {m:?} more than once"));
        }
    }
    Ok(())
}

/// The default when no intention matches (`agent/consul/util.go`
/// `DefaultIntentionAllow`, from v1.18.0): the agent's
/// `default_intention_policy` when set, else the token's
/// `IntentionDefaultAllow`, which comes from the ACL default policy (allow
/// with ACLs off: `acl.ManageAll`; `deny` here with ACLs on), given as
/// `acls_off`. Before 1.18 only the ACL default exists.
pub(crate) fn default_allow(profile: &Profile, acls_off: bool) -> bool {
    match profile.default_intention_policy {
        Some(p) if profile.has(Change::DefaultIntentionPolicy) => p.as_str() == "allow",
        _ => acls_off,
    }
}

/// The last part of `[[partition/]namespace/]name`, as
/// `parseIntentionStringComponent` splits it (CE: only the default
/// namespace and partition exist).
pub(crate) fn name_part(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// The local (no peer, no sameness group) source with the highest precedence
/// that matches `source` and whose entry's destination matches
/// `destination`, with that entry's source JSON.
fn best_match<'a>(st: &'a State, source: &str, destination: &str) -> Option<&'a Value> {
    let entries = st.config_entries.get("service-intentions")?;
    let wild_or = |v: &str, want: &str| v == "*" || v == want;
    entries
        .iter()
        .filter(|(dest, _)| wild_or(dest, destination))
        .flat_map(|(_, e)| {
            e.get("Sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter(|src| {
            let f = |k: &str| src.get(k).and_then(Value::as_str).unwrap_or("");
            f("Peer").is_empty() && f("SamenessGroup").is_empty() && wild_or(f("Name"), source)
        })
        .max_by_key(|src| src.get("Precedence").and_then(Value::as_i64).unwrap_or(0))
}

/// `IntentionDecision` for a connection from `source` to `destination`: the
/// matching intention's action, where an intention with L7 permissions
/// counts as deny (`AllowPermissions: false`); `None` when none matches.
pub(crate) fn decision(st: &State, source: &str, destination: &str) -> Option<bool> {
    best_match(st, source, destination).map(|src| {
        let has_permissions = src
            .get("Permissions")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty());
        !has_permissions && src.get("Action").and_then(Value::as_str) == Some("allow")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_sorting() {
        let mut e = json!({
            "Kind": "service-intentions",
            "Name": "web",
            "Sources": [
                {"Name": "*", "Action": "deny"},
                {"Name": "api", "Peer": "dc2", "Action": "ALLOW"}
            ]
        });
        normalize_intentions(&mut e).unwrap();
        assert_eq!(e["Sources"][0]["Name"], "api");
        assert_eq!(e["Sources"][0]["Precedence"], 9);
        assert_eq!(e["Sources"][0]["Action"], "allow");
        assert_eq!(e["Sources"][0]["Type"], "consul");
        assert_eq!(e["Sources"][1]["Precedence"], 8);
    }

    #[test]
    fn validation_uses_sorted_indexes() {
        let mut e = json!({
            "Kind": "service-intentions",
            "Name": "web",
            "Sources": [
                {"Name": "*", "Action": "deny"},
                {"Name": "api", "Action": "maybe"}
            ]
        });
        assert_eq!(
            normalize_intentions(&mut e).unwrap_err(),
            "Sources[0].Action must be set to 'allow' or 'deny'"
        );
    }
}
