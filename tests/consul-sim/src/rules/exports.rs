//! The `exported-services` entry: its validation, and what it exports to
//! whom (a wildcard stands for the local services of the typical kind).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::profile::{Change, Profile};
use crate::rules::common::{arr, is_default, s, validate_meta};
use crate::state::{ExportedService, State};

/// Validates an exported-services entry in CE's order
/// (`config_entry_exports.go` `Validate` + `config_entry_exports_ce.go`
/// `validateServicesEnterprise`). Before sameness groups (1.15 and older)
/// there is no CE check and only Peer and Partition are counted.
pub(crate) fn validate_exports(profile: &Profile, e: &mut Value) -> Result<(), String> {
    if let Some(o) = e.as_object_mut() {
        o.insert("Kind".into(), json!("exported-services"));
    }
    if s(e, "Name") != "default" {
        return Err("exported-services Name must be \"default\"".into());
    }
    validate_meta(e.get("Meta"))?;
    let services = arr(e, "Services");
    let sameness = profile.has(Change::SamenessGroups);
    if sameness {
        validate_exports_ce(&services)?;
    }
    for (i, svc) in services.iter().enumerate() {
        let sname = s(svc, "Name");
        if sname.is_empty() {
            return Err(format!("Services[{i}]: service name cannot be empty"));
        }
        if s(svc, "Namespace") == "*" && sname != "*" {
            return Err(format!(
                "Services[{i}]: service name must be wildcard if namespace is wildcard"
            ));
        }
        let consumers = arr(svc, "Consumers");
        if consumers.is_empty() {
            return Err(format!("Services[{i}]: must have at least one consumer"));
        }
        let (fields, one_of): (&[&str], _) = if sameness {
            (
                &["Peer", "Partition", "SamenessGroup"],
                "Peer, Partition, or SamenessGroup",
            )
        } else {
            (&["Peer", "Partition"], "Peer or Partition")
        };
        for (j, c) in consumers.iter().enumerate() {
            let set = fields.iter().filter(|f| !s(c, f).is_empty()).count();
            if set > 1 {
                return Err(format!(
                    "Services[{i}].Consumers[{j}]: must define at most one of {one_of}"
                ));
            }
            if s(c, "Partition") == "*" {
                return Err(format!(
                    "Services[{i}].Consumers[{j}]: exporting to all partitions (wildcard) is not supported"
                ));
            }
            if s(c, "Peer") == "*" {
                return Err(format!(
                    "Services[{i}].Consumers[{j}]: exporting to all peers (wildcard) is not supported"
                ));
            }
        }
    }
    Ok(())
}

/// `validateServicesEnterprise` of CE (`config_entry_exports_ce.go`, 1.16+).
fn validate_exports_ce(services: &[&Value]) -> Result<(), String> {
    for (i, svc) in services.iter().enumerate() {
        for (j, c) in arr(svc, "Consumers").iter().enumerate() {
            if !is_default(s(c, "Partition")) {
                return Err(format!(
                    "Services[{i}].Consumers[{j}]: partitions are an enterprise-only feature"
                ));
            }
            if !s(c, "SamenessGroup").is_empty() {
                return Err(format!(
                    "Services[{i}].Consumers[{j}]: sameness-groups are an enterprise-only feature"
                ));
            }
        }
    }
    Ok(())
}

/// The exported-services entry, if any (for the catalog views).
fn exports_entry(st: &State) -> Option<&Value> {
    st.config_entries
        .get("exported-services")
        .and_then(|m| m.get("default"))
}

/// Every peer a service is exported to (sorted), for `/v1/exported-services`.
pub(crate) fn consumers_by_service(st: &State) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let Some(e) = exports_entry(st) else {
        return BTreeMap::new();
    };
    let wildcard = wildcard_export_names(st);
    for svc in arr(e, "Services") {
        let name = s(svc, "Name");
        let names: Vec<String> = if name == "*" {
            wildcard.iter().cloned().collect()
        } else {
            vec![name.to_string()]
        };
        for c in arr(svc, "Consumers") {
            let peer = s(c, "Peer");
            if peer.is_empty() {
                continue;
            }
            for n in &names {
                out.entry(n.clone()).or_default().insert(peer.to_string());
            }
        }
    }
    out.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

/// What an export of `*` stands for: the local services of the typical
/// kind, without `consul` (`agent/consul/state/peering.go`
/// `exportedServicesForPeerTxn` lists `serviceNamesOfKindTxn(…,
/// ServiceKindTypical, …)` for a wildcard and drops `consul`), so a mesh
/// gateway is never exported by `*`.
fn wildcard_export_names(st: &State) -> BTreeSet<String> {
    st.services
        .iter()
        .filter(|s| s.kind.is_empty() && s.service != "consul")
        .map(|s| s.service.clone())
        .collect()
}

/// The services the `exported-services` entry exports to `peer`.
pub(crate) fn exported_names_for_peer(st: &State, peer: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Some(entry) = exports_entry(st) else {
        return out;
    };
    let services = entry
        .get("Services")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for svc in services {
        let name = svc.get("Name").and_then(Value::as_str).unwrap_or_default();
        let to_peer = svc
            .get("Consumers")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.get("Peer").and_then(Value::as_str) == Some(peer))
            });
        if !to_peer || name.is_empty() {
            continue;
        }
        if name == "*" {
            out.extend(wildcard_export_names(st));
        } else {
            out.insert(name.to_string());
        }
    }
    out
}

/// What the stream sends to `peer`: each exported service with its instances.
pub(crate) fn exports_for_peer(st: &State, peer: &str) -> Vec<ExportedService> {
    exported_names_for_peer(st, peer)
        .into_iter()
        .map(|name| ExportedService {
            instances: st
                .services
                .iter()
                .filter(|s| s.service == name)
                .cloned()
                .collect(),
            name,
        })
        .collect()
}
