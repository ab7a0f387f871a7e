//! `service-resolver` entries as far as peers go, as read: failover targets that name a peer and
//! redirects to a peer. The edits the console offers are `change`. Entries stay JSON values:
//! subsets, load balancing, other failover keys and targets, and fields of later Consul versions
//! survive every edit.
//!
//! Shapes and texts from Consul's `agent/structs/config_entry_discoverychain.go`
//! (`ServiceResolverConfigEntry`, `ServiceResolverFailover`, `ServiceResolverFailoverTarget`,
//! `ServiceResolverRedirect`, `Validate`). A peer can be named in exactly two places: a failover
//! target's `Peer` (`Failover[<subset or *>].Targets[i].Peer`, 1.14+) and `Redirect.Peer`.
//! The older failover form (`Service`, `ServiceSubset`, `Namespace`, `Datacenters`, the only one
//! in 1.13) cannot name a peer; 1.16's `SamenessGroup` names a group, not a peer. Both are read
//! and kept, never written.
use crate::model::consul::config_entry::text;
use serde_json::{Map, Value};

pub const KIND: &str = "service-resolver";
/// The failover key for "any subset not listed": the one the console edits.
pub const ANY_SUBSET: &str = "*";

/// Where a resolver names a peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerUse {
    /// `Failover[subset].Targets[position]` (0-based) names the peer.
    Failover { subset: String, position: usize },
    /// `Redirect.Peer` names the peer: every call goes there.
    Redirect,
}

/// One failover target as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Empty when the target is not a peer.
    pub peer: String,
    /// "peer dc2", "datacenter dc3", "service api-v2 in this cluster"…
    pub label: String,
    /// The target as stored: a row's actions name it by this value and its position.
    pub value: Value,
    /// Its name for people, unique among the list's peer targets: the peer, with what else it
    /// asks for when another target names the same peer ("dc2 (api-v2)"), or its place.
    pub name: String,
}

/// One resolver's failover for one subset key, in Consul's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failover {
    pub subset: String,
    pub targets: Vec<Target>,
    /// The older form's fields (`Service`, `Datacenters`…), described; kept as they are.
    pub other: Option<String>,
}

/// A resolver's peer-related facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolverView {
    pub service: String,
    /// `"*"` first, then subsets by name.
    pub failover: Vec<Failover>,
    /// The redirect, described, with its peer when it names one.
    pub redirect: Option<(String, String)>,
    /// The redirect as stored: removing it removes that value only.
    pub redirect_value: Option<Value>,
}

impl ResolverView {
    pub fn names_peer(&self, peer: &str) -> bool {
        self.redirect.as_ref().is_some_and(|(p, _)| p == peer)
            || self
                .failover
                .iter()
                .any(|f| f.targets.iter().any(|t| t.peer == peer))
    }

    pub fn names_any_peer(&self) -> bool {
        self.redirect.as_ref().is_some_and(|(p, _)| !p.is_empty())
            || self
                .failover
                .iter()
                .any(|f| f.targets.iter().any(|t| !t.peer.is_empty()))
    }

    /// The peers of the `*` failover targets, in order.
    #[cfg(test)]
    pub fn any_subset_peers(&self) -> Vec<String> {
        self.failover
            .iter()
            .find(|f| f.subset == ANY_SUBSET)
            .map(|f| {
                f.targets
                    .iter()
                    .filter(|t| !t.peer.is_empty())
                    .map(|t| t.peer.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn describe_destination(v: &Value, own: &str) -> (String, String) {
    let peer = text(v, "Peer");
    let service = text(v, "Service");
    let mut parts = Vec::new();
    if !service.is_empty() && service != own {
        parts.push(format!("service {service}"));
    }
    for (key, word) in [
        ("ServiceSubset", "subset"),
        ("Namespace", "namespace"),
        ("Partition", "partition"),
        ("Datacenter", "datacenter"),
        ("Peer", "peer"),
    ] {
        let value = text(v, key);
        if !value.is_empty() {
            parts.push(format!("{word} {value}"));
        }
    }
    if parts.is_empty() {
        parts.push("this cluster".into());
    }
    (peer, parts.join(", "))
}

pub(super) fn failover_map(entry: &Value) -> Option<&Map<String, Value>> {
    entry.get("Failover").and_then(Value::as_object)
}

pub(super) fn targets(block: &Value) -> &[Value] {
    block
        .get("Targets")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// What a target asks the peer for besides the peer: "api-v2", "api-v2, namespace team".
fn qualifier(v: &Value, own: &str) -> String {
    let mut parts = Vec::new();
    let service = text(v, "Service");
    if !service.is_empty() && service != own {
        parts.push(service);
    }
    for (key, word) in [
        ("ServiceSubset", "subset"),
        ("Namespace", "namespace"),
        ("Partition", "partition"),
        ("Datacenter", "datacenter"),
    ] {
        let value = text(v, key);
        if !value.is_empty() {
            parts.push(format!("{word} {value}"));
        }
    }
    parts.join(", ")
}

/// Gives peer targets that share a peer distinct names (the buttons' accessible names): what
/// else each asks for, then, if still alike, its place in the list.
fn named(mut list: Vec<Target>, own: &str) -> Vec<Target> {
    let count = |list: &[Target], name: &str| list.iter().filter(|t| t.name == name).count();
    let repeated: Vec<bool> = list
        .iter()
        .map(|t| !t.peer.is_empty() && list.iter().filter(|o| o.peer == t.peer).count() > 1)
        .collect();
    for (t, repeated) in list.iter_mut().zip(&repeated) {
        let q = qualifier(&t.value, own);
        if *repeated && !q.is_empty() {
            t.name = format!("{} ({q})", t.peer);
        }
    }
    let clashing: Vec<bool> = list
        .iter()
        .map(|t| !t.peer.is_empty() && count(&list, &t.name) > 1)
        .collect();
    for (i, (t, clashing)) in list.iter_mut().zip(clashing).enumerate() {
        if clashing {
            t.name = format!("{} (target {})", t.name, i + 1);
        }
    }
    list
}

/// A resolver entry, read.
pub fn view_of(entry: &Value) -> ResolverView {
    let service = text(entry, "Name");
    let failover: Vec<Failover> = failover_map(entry)
        .map(|m| {
            m.iter()
                .map(|(subset, block)| {
                    let targets = named(
                        targets(block)
                            .iter()
                            .map(|t| {
                                let (peer, label) = describe_destination(t, &service);
                                let name = peer.clone();
                                Target {
                                    peer,
                                    label,
                                    value: t.clone(),
                                    name,
                                }
                            })
                            .collect(),
                        &service,
                    );
                    let mut other = Vec::new();
                    let old = text(block, "Service");
                    if !old.is_empty() {
                        other.push(format!("service {old}"));
                    }
                    let dcs: Vec<String> = block
                        .get("Datacenters")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default();
                    if !dcs.is_empty() {
                        other.push(format!("datacenters {}", dcs.join(", ")));
                    }
                    let group = text(block, "SamenessGroup");
                    if !group.is_empty() {
                        other.push(format!("sameness group {group}"));
                    }
                    Failover {
                        subset: subset.clone(),
                        targets,
                        other: (!other.is_empty()).then(|| other.join("; ")),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    // serde_json's map is ordered by key, and "*" sorts before any subset name (lowercase
    // letters, digits and "-", Consul's validateServiceSubset): "*" comes first by itself.
    let redirect_value = entry.get("Redirect").filter(|r| r.is_object()).cloned();
    let redirect = redirect_value
        .as_ref()
        .map(|r| describe_destination(r, &service));
    ResolverView {
        service,
        failover,
        redirect,
        redirect_value,
    }
}

/// Every resolver that names any peer, in Consul's order (a kind's list comes sorted by name).
pub fn naming_peers(entries: &[Value]) -> Vec<ResolverView> {
    entries
        .iter()
        .map(view_of)
        .filter(ResolverView::names_any_peer)
        .collect()
}

/// Where each resolver names `peer`: (service, use), in the entries' order.
pub fn uses_of_peer(entries: &[Value], peer: &str) -> Vec<(String, PeerUse)> {
    let mut out = Vec::new();
    for entry in entries {
        let service = text(entry, "Name");
        if let Some(map) = failover_map(entry) {
            for (subset, block) in map {
                for (position, t) in targets(block).iter().enumerate() {
                    if text(t, "Peer") == peer {
                        out.push((
                            service.clone(),
                            PeerUse::Failover {
                                subset: subset.clone(),
                                position,
                            },
                        ));
                    }
                }
            }
        }
        if entry
            .get("Redirect")
            .is_some_and(|r| text(r, "Peer") == peer)
        {
            out.push((service, PeerUse::Redirect));
        }
    }
    out
}

/// Whether a failover or redirect to `peer` for `service` would find nothing: the peer does not
/// export that service to this cluster. `imported` is what this cluster imports from the peer
/// (`StreamStatus.ImportedServices` joined with `/v1/internal/ui/services?peer=`).
pub fn finds_nothing(service: &str, imported: &[String]) -> bool {
    !imported.iter().any(|s| s == service)
}

/// The service a target or redirect asks the peer for: its `Service`, else the resolver's own.
#[cfg(test)]
pub fn target_service(own: &str, destination: &Value) -> String {
    let service = text(destination, "Service");
    if service.is_empty() {
        own.to_string()
    } else {
        service
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// A resolver with fields the console never shows, kept through every edit.
    pub(crate) fn resolver(index: u64, failover: Value) -> Value {
        json!({"Kind": KIND, "Name": "api", "ModifyIndex": index, "ConnectTimeout": "15s",
               "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"}},
               "LoadBalancer": {"Policy": "least_request"}, "FutureField": {"x": 1},
               "Failover": failover})
    }

    #[test]
    fn reading_names_peers_in_targets_and_redirects_and_keeps_order() {
        let e = resolver(
            3,
            json!({
                "*": {"Targets": [{"Peer": "dc3"}, {"Datacenter": "dc9"}, {"Peer": "dc2", "Service": "api-v2"}]},
                "v1": {"Datacenters": ["dc5"]}
            }),
        );
        let v = view_of(&e);
        assert_eq!(v.failover[0].subset, "*");
        let labels: Vec<_> = v.failover[0]
            .targets
            .iter()
            .map(|t| t.label.as_str())
            .collect();
        assert_eq!(
            labels,
            ["peer dc3", "datacenter dc9", "service api-v2, peer dc2"]
        );
        assert_eq!(v.any_subset_peers(), ["dc3", "dc2"]);
        assert_eq!(v.failover[1].other.as_deref(), Some("datacenters dc5"));
        assert!(v.names_peer("dc2") && !v.names_peer("dc9"));
        let r = json!({"Kind": KIND, "Name": "web", "Redirect": {"Service": "web", "Peer": "dc2"}});
        assert_eq!(
            view_of(&r).redirect,
            Some(("dc2".into(), "peer dc2".into()))
        );
        let plain = json!({"Kind": KIND, "Name": "db", "ConnectTimeout": "5s"});
        let all = vec![e.clone(), r.clone(), plain];
        let named: Vec<_> = naming_peers(&all).into_iter().map(|v| v.service).collect();
        assert_eq!(named, ["api", "web"]);
        assert_eq!(
            uses_of_peer(&all, "dc2"),
            vec![
                (
                    "api".into(),
                    PeerUse::Failover {
                        subset: "*".into(),
                        position: 2
                    }
                ),
                ("web".into(), PeerUse::Redirect)
            ]
        );
        assert_eq!(target_service("api", &json!({"Peer": "dc2"})), "api");
        assert_eq!(target_service("api", &json!({"Service": "x"})), "x");
    }

    #[test]
    fn a_target_peer_that_does_not_export_the_service_finds_nothing() {
        assert!(finds_nothing("api", &["web".into()]));
        assert!(!finds_nothing("api", &["web".into(), "api".into()]));
        assert!(finds_nothing("api", &[]));
    }
}
