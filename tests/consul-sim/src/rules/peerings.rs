//! Peerings: the key a peering is stored under, the checks on a peer name
//! and on peering meta, and the state a read shows. Errors are Consul's
//! texts; the handlers send them as gRPC errors (`ApiError::unknown`), as the
//! peering endpoints call the peering service over gRPC.

use std::collections::BTreeMap;

use regex::Regex;

use crate::profile::{Change, Profile};
use crate::state::{PeeringRec, Tracker};

/// The key of a peering in the state: its name in lower case, as Consul's
/// state store indexes it (`agent/consul/state/peering_ce.go`, `peering_oss.go` in
/// 1.14: `indexFromPeering`, `indexPeeringFromQuery`: `strings.ToLower`). Only 1.14
/// lets a name with upper case in; the record keeps it as given.
pub(crate) fn key(name: &str) -> String {
    name.to_lowercase()
}

/// The peer-name check of `GenerateToken` and `Establish`
/// (`agent/rpc/peering/service.go`): `validatePeerName` from 1.15
/// (`validate.go`, lower case only), `dns.ValidateLabel` in 1.14
/// (`agent/dns/validation.go`, upper case allowed, its own wording).
pub(crate) fn validate_name(profile: &Profile, name: &str) -> Result<(), String> {
    let (pattern, what) = if profile.has(Change::LowerCasePeerNames) {
        (r"^[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?$", "peering name")
    } else {
        (
            r"^[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$",
            "DNS label",
        )
    };
    let re = Regex::new(pattern).map_err(|e| format!("regex: {e}"))?;
    if re.is_match(name) {
        Ok(())
    } else {
        Err(format!(
            "{name} is not a valid peer name: a valid {what} must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
        ))
    }
}

/// `structs.ValidateMetaTags` (node-meta rules) on a peering's meta.
pub(crate) fn validate_meta(meta: &BTreeMap<String, String>) -> Result<(), String> {
    let wrap = |m: String| format!("meta tags failed validation: {m}");
    if meta.len() > 64 {
        return Err(wrap(
            "Node metadata cannot contain more than 64 key/value pairs".into(),
        ));
    }
    let key_re = Regex::new(r"^[a-zA-Z0-9_-]+$").map_err(|e| e.to_string())?;
    for (k, v) in meta {
        let err = if k.is_empty() {
            Some("Key cannot be blank")
        } else if !key_re.is_match(k) {
            Some("Key contains invalid characters")
        } else if k.len() > 128 {
            Some("Key is too long (limit: 128 characters)")
        } else if k.starts_with("consul-") {
            Some("Key prefix 'consul-' is reserved for internal use")
        } else if v.len() > 512 {
            Some("Value is too long (limit: 512 characters)")
        } else {
            None
        };
        if let Some(e) = err {
            return Err(wrap(format!(
                "Couldn't load metadata pair ('{k}', '{v}'): {e}"
            )));
        }
    }
    Ok(())
}

/// The state shown on read: DELETING/TERMINATED as stored, otherwise the
/// stream tracker decides (ACTIVE/FAILING), else the stored state.
pub(crate) fn display_state(rec: &PeeringRec, tracker: Option<&Tracker>) -> String {
    match rec.state.as_str() {
        "DELETING" | "TERMINATED" => return rec.state.clone(),
        _ => {}
    }
    if let Some(t) = tracker {
        if t.connected {
            return "ACTIVE".into();
        }
        if t.disconnect_error.is_some() {
            return "FAILING".into();
        }
    }
    if rec.state.is_empty() {
        "PENDING".into()
    } else {
        rec.state.clone()
    }
}
