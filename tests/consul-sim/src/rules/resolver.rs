//! The `service-resolver` config entry: `ServiceResolverConfigEntry.Validate`
//! (`agent/structs/config_entry_discoverychain.go`) with CE's
//! `ValidateEnterprise` checks (`config_entry_discoverychain_ce.go`), in
//! Consul's order and words, and the services a write must be able to read
//! (`canWriteDiscoveryChain`, `ListRelatedServices`).
//!
//! Checked at v1.14.0, v1.15.0, v1.18.0 and main. Before sameness groups
//! (the 1.14 and 1.15 profiles) `SamenessGroup`, `Policy` and
//! `PrioritizeByLocality` are not fields of the entry, so they are neither
//! checked nor named in the texts. Not imitated: subset `Filter`
//! expressions, `LoadBalancer`, timeouts and the discovery-chain graph checks
//! of the state store.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::profile::{Change, Profile};
use crate::rules::common::{arr, obj, s, validate_meta};

/// `validateServiceSubset`.
fn validate_subset_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 63 {
        return Err("must be non-empty and 63 characters or fewer".into());
    }
    let b = name.as_bytes();
    let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let ok = edge(b[0]) && edge(b[b.len() - 1]) && b.iter().all(|c| edge(*c) || *c == b'-');
    if !ok {
        return Err("must be 63 characters or fewer, begin or end with lower case alphanumeric characters, and contain lower case alphanumeric characters or '-' in between".into());
    }
    Ok(())
}

/// Normalises (`Kind`) and validates a service-resolver entry.
pub(crate) fn validate_resolver(profile: &Profile, e: &mut Value) -> Result<(), String> {
    if let Some(o) = e.as_object_mut() {
        o.insert("Kind".into(), json!("service-resolver"));
    }
    let e = &*e;
    let sameness = profile.has(Change::SamenessGroups);
    let name = s(e, "Name");
    if name.is_empty() {
        return Err("Name is required".into());
    }
    validate_meta(e.get("Meta"))?;
    let subsets: BTreeSet<&str> = obj(e, "Subsets")
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for sub in &subsets {
        if sub.is_empty() {
            return Err("Subset defined with empty name".into());
        }
        validate_subset_name(sub).map_err(|err| format!("Subset {sub:?} is invalid: {err}"))?;
    }
    let is_subset = |sub: &str| subsets.contains(sub);
    let default_subset = s(e, "DefaultSubset");
    if !default_subset.is_empty() && !is_subset(default_subset) {
        return Err(format!(
            "DefaultSubset {default_subset:?} is not a valid subset"
        ));
    }
    if sameness && obj(e, "PrioritizeByLocality").is_some_and(|p| !p.is_empty()) {
        // `ServiceResolverPrioritizeByLocality.validate` (CE), trailing space included.
        return Err("Prioritize-by-locality requires Consul Enterprise ".into());
    }
    let failover = obj(e, "Failover").filter(|f| !f.is_empty());
    if let Some(r) = e.get("Redirect").filter(|r| r.is_object()) {
        validate_redirect(name, r, failover.is_some(), sameness, &is_subset)?;
    }
    for (subset, f) in failover.into_iter().flatten() {
        validate_failover(name, subset, f, sameness, &is_subset)?;
    }
    Ok(())
}

/// The `Redirect` part of `Validate`.
fn validate_redirect(
    name: &str,
    r: &Value,
    has_failover: bool,
    sameness: bool,
    is_subset: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let f = |k: &str| s(r, k);
    let sg = if sameness { f("SamenessGroup") } else { "" };
    let part = f("Partition");
    if !part.is_empty() && part != "default" && !f("Datacenter").is_empty() {
        return Err("Cross-datacenter and cross-partition redirect is not supported".into());
    }
    // `ServiceResolverRedirect.ValidateEnterprise` (CE).
    for (field, v) in [
        ("Partition", part),
        ("Namespace", f("Namespace")),
        ("SamenessGroup", sg),
    ] {
        if !v.is_empty() {
            return Err(format!(
                "Redirect: Setting {field} requires Consul Enterprise"
            ));
        }
    }
    if has_failover {
        return Err("Redirect and Failover cannot both be set".into());
    }
    let keys = [
        "Service",
        "ServiceSubset",
        "Namespace",
        "Partition",
        "Datacenter",
        "Peer",
    ];
    if keys.iter().all(|k| f(k).is_empty()) && sg.is_empty() {
        return Err("Redirect is empty".into());
    }
    let (svc, subset, peer, dc) = (f("Service"), f("ServiceSubset"), f("Peer"), f("Datacenter"));
    // The `switch` of `Validate`: the first true case decides. The sameness
    // cases and `Partition` are refused above in CE.
    if !peer.is_empty() && !subset.is_empty() {
        return Err("Redirect.Peer cannot be set with Redirect.ServiceSubset".into());
    }
    if !peer.is_empty() && !dc.is_empty() {
        return Err("Redirect.Peer cannot be set with Redirect.Datacenter".into());
    }
    if svc.is_empty() {
        for (field, v) in [("ServiceSubset", subset), ("Peer", peer)] {
            if !v.is_empty() {
                return Err(format!("Redirect.{field} defined without Redirect.Service"));
            }
        }
    } else if !subset.is_empty() && svc == name && !is_subset(subset) {
        return Err(format!(
            "Redirect.ServiceSubset {subset:?} is not a valid subset of {name:?}"
        ));
    }
    Ok(())
}

/// One `Failover[subset]` of `Validate`.
fn validate_failover(
    name: &str,
    subset: &str,
    f: &Value,
    sameness: bool,
    is_subset: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let prefix = format!("Bad Failover[{subset:?}]: ");
    let sg = if sameness { s(f, "SamenessGroup") } else { "" };
    // `ServiceResolverFailover.ValidateEnterprise` (CE).
    for (field, v) in [("Namespace", s(f, "Namespace")), ("SamenessGroup", sg)] {
        if !v.is_empty() {
            return Err(format!(
                "{prefix}Setting {field} requires Consul Enterprise"
            ));
        }
    }
    if subset != "*" && !is_subset(subset) {
        return Err(format!("{prefix}not a valid subset subset"));
    }
    let (svc, svc_subset) = (s(f, "Service"), s(f, "ServiceSubset"));
    let dcs = arr(f, "Datacenters");
    let targets = arr(f, "Targets");
    if svc.is_empty()
        && svc_subset.is_empty()
        && dcs.is_empty()
        && targets.is_empty()
        && sg.is_empty()
    {
        let fields = if sameness {
            "Service, ServiceSubset, Namespace, Targets, SamenessGroup, or Datacenters"
        } else {
            "Service, ServiceSubset, Namespace, Targets, or Datacenters"
        };
        return Err(format!("{prefix}one of {fields} is required"));
    }
    if sameness && f.get("Policy").is_some_and(|p| !s(p, "Mode").is_empty()) {
        // `ServiceResolverFailoverPolicy.ValidateEnterprise` (CE).
        return Err(format!(
            "{prefix}Setting failover policies requires Consul Enterprise"
        ));
    }
    if !svc_subset.is_empty() && (svc.is_empty() || svc == name) && !is_subset(svc_subset) {
        return Err(format!(
            "{prefix}ServiceSubset {svc_subset:?} is not a valid subset of {svc:?}"
        ));
    }
    for (set, what) in [
        (!dcs.is_empty(), "Datacenters"),
        (!svc_subset.is_empty(), "ServiceSubset"),
        (!svc.is_empty(), "Service"),
    ] {
        if set && !targets.is_empty() {
            return Err(format!("{prefix}Targets cannot be set with {what}"));
        }
    }
    for (i, t) in targets.iter().enumerate() {
        let tp = format!("Bad Failover[{subset:?}].Targets[{i}]: ");
        let g = |k: &str| s(t, k);
        // `ServiceResolverFailoverTarget.ValidateEnterprise` (CE).
        for field in ["Partition", "Namespace"] {
            if !g(field).is_empty() {
                return Err(format!("{tp}Setting {field} requires Consul Enterprise"));
            }
        }
        let (peer, tsub, dc, tsvc) = (g("Peer"), g("ServiceSubset"), g("Datacenter"), g("Service"));
        if !peer.is_empty() && !tsub.is_empty() {
            return Err(format!("{tp}Peer cannot be set with ServiceSubset"));
        }
        if !peer.is_empty() && !dc.is_empty() {
            return Err(format!("{tp}Peer cannot be set with Datacenter"));
        }
        if !tsub.is_empty() && (tsvc.is_empty() || tsvc == name) && !is_subset(tsub) {
            return Err(format!(
                "{tp}ServiceSubset {tsub:?} is not a valid subset of {name:?}"
            ));
        }
    }
    if dcs.iter().any(|d| d.as_str() == Some("")) {
        return Err(format!(
            "Bad Failover[{subset:?}].Datacenters: found empty datacenter"
        ));
    }
    Ok(())
}

/// `ListRelatedServices`: the local services a resolver sends traffic to,
/// other than itself. A write needs `service:read` on each
/// (`canWriteDiscoveryChain`). Failover targets on a peer are skipped; a
/// redirect counts whatever its peer.
pub(crate) fn related_services(e: &Value) -> BTreeSet<String> {
    let name = s(e, "Name");
    let or_name = |v: &str| {
        if v.is_empty() {
            name.to_string()
        } else {
            v.to_string()
        }
    };
    let mut out = BTreeSet::new();
    if let Some(r) = e.get("Redirect").filter(|r| r.is_object()) {
        out.insert(or_name(s(r, "Service")));
    }
    for f in obj(e, "Failover").into_iter().flat_map(|m| m.values()) {
        let targets = arr(f, "Targets");
        if targets.is_empty() {
            out.insert(or_name(s(f, "Service")));
        }
        for t in targets.iter().filter(|t| s(t, "Peer").is_empty()) {
            out.insert(or_name(s(t, "Service")));
        }
    }
    out.remove(name);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ConsulVersion;

    fn check(v: ConsulVersion, mut e: Value) -> Result<(), String> {
        let p = Profile {
            version: v,
            ..Default::default()
        };
        validate_resolver(&p, &mut e)
    }

    #[test]
    fn texts() {
        let cases = [
            (json!({"Name": "api", "Redirect": {"Service": "api", "Peer": "dc2", "ServiceSubset": "v1"}}),
             "Redirect.Peer cannot be set with Redirect.ServiceSubset"),
            (json!({"Name": "api", "Redirect": {"Service": "api", "Peer": "dc2", "Datacenter": "dc3"}}),
             "Redirect.Peer cannot be set with Redirect.Datacenter"),
            (json!({"Name": "api", "Redirect": {"Peer": "dc2"}}),
             "Redirect.Peer defined without Redirect.Service"),
            (json!({"Name": "api", "Redirect": {}}), "Redirect is empty"),
            (json!({"Name": "api", "Redirect": {"Peer": "dc2"}, "Failover": {"*": {"Targets": [{"Peer": "dc2"}]}}}),
             "Redirect and Failover cannot both be set"),
            (json!({"Name": "api", "Failover": {"*": {}}}),
             "Bad Failover[\"*\"]: one of Service, ServiceSubset, Namespace, Targets, SamenessGroup, or Datacenters is required"),
            (json!({"Name": "api", "Failover": {"v1": {"Targets": [{"Peer": "dc2"}]}}}),
             "Bad Failover[\"v1\"]: not a valid subset subset"),
            (json!({"Name": "api", "Failover": {"*": {"Service": "x", "Targets": [{"Peer": "dc2"}]}}}),
             "Bad Failover[\"*\"]: Targets cannot be set with Service"),
            (json!({"Name": "api", "Failover": {"*": {"Targets": [{"Peer": "dc2"}, {"Peer": "dc3", "ServiceSubset": "v1"}]}}}),
             "Bad Failover[\"*\"].Targets[1]: Peer cannot be set with ServiceSubset"),
            (json!({"Name": "api", "Failover": {"*": {"Targets": [{"Peer": "dc2", "Datacenter": "dc3"}]}}}),
             "Bad Failover[\"*\"].Targets[0]: Peer cannot be set with Datacenter"),
            (json!({"Name": "api", "Failover": {"*": {"Targets": [{"Peer": "dc2", "Partition": "p"}]}}}),
             "Bad Failover[\"*\"].Targets[0]: Setting Partition requires Consul Enterprise"),
            (json!({"Name": "api", "Failover": {"*": {"Targets": [{"ServiceSubset": "v9"}]}}}),
             "Bad Failover[\"*\"].Targets[0]: ServiceSubset \"v9\" is not a valid subset of \"api\""),
            (json!({"Name": "api", "Subsets": {"V1": {}}}),
             "Subset \"V1\" is invalid: must be 63 characters or fewer, begin or end with lower case alphanumeric characters, and contain lower case alphanumeric characters or '-' in between"),
            (json!({"Name": "api", "DefaultSubset": "v1"}), "DefaultSubset \"v1\" is not a valid subset"),
            (json!({"Name": "api", "Failover": {"*": {"Datacenters": [""]}}}),
             "Bad Failover[\"*\"].Datacenters: found empty datacenter"),
            (json!({"Name": "api", "Failover": {"*": {"SamenessGroup": "g"}}}),
             "Bad Failover[\"*\"]: Setting SamenessGroup requires Consul Enterprise"),
            (json!({"Name": "api", "Failover": {"*": {"Targets": [{"Peer": "dc2"}], "Policy": {"Mode": "sequential"}}}}),
             "Bad Failover[\"*\"]: Setting failover policies requires Consul Enterprise"),
            (json!({"Name": ""}), "Name is required"),
        ];
        for (e, want) in cases {
            assert_eq!(
                check(ConsulVersion::V1_22, e.clone()).unwrap_err(),
                want,
                "{e}"
            );
        }
        // Before sameness groups the texts do not name them.
        assert_eq!(
            check(ConsulVersion::V1_15, json!({"Name": "api", "Failover": {"*": {"SamenessGroup": "g"}}})).unwrap_err(),
            "Bad Failover[\"*\"]: one of Service, ServiceSubset, Namespace, Targets, or Datacenters is required"
        );
    }

    #[test]
    fn valid_and_related() {
        let e = json!({"Name": "api", "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"}},
            "Failover": {"*": {"Targets": [{"Peer": "dc2"}, {"Service": "api-backup"}, {"Peer": "dc3", "Service": "x"}]},
                         "v1": {"Service": "api"}}});
        check(ConsulVersion::V1_22, e.clone()).unwrap();
        assert_eq!(
            related_services(&e),
            BTreeSet::from(["api-backup".to_string()])
        );
        let r = json!({"Name": "api", "Redirect": {"Service": "web", "Peer": "dc2"}});
        check(ConsulVersion::V1_14, r.clone()).unwrap();
        assert_eq!(related_services(&r), BTreeSet::from(["web".to_string()]));
    }
}
