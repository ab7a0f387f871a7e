//! One edit of one `service-resolver` entry for the check-and-set editor: add, reorder or
//! remove a failover target naming a peer, redirect to a peer, remove a redirect. Every other
//! field (subsets, load balancing, later Consul versions' fields) survives the edit.
//!
//! Rules and texts from Consul's `agent/structs/config_entry_discoverychain.go`
//! (`ServiceResolverConfigEntry.Validate`).
use super::resolver::{failover_map, targets, ANY_SUBSET, KIND};
use crate::model::consul::config_entry::{text, without_computed};
use crate::model::consul::texts::unwrap_consul_error;
use crate::model::entry_edit::EntryChange;
use serde_json::{json, Map, Value};

/// The console's own text when no peer is chosen (Consul has none: it would write a target
/// that fails over to this cluster).
pub const NO_PEER: &str = "choose the peer";

/// One edit of one resolver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolverChange {
    /// Append `{"Peer": peer}` to `Failover["*"].Targets`.
    AddTarget { service: String, peer: String },
    /// Move the `*` target naming `peer` one place earlier (`up`) or later.
    MoveTarget {
        service: String,
        peer: String,
        up: bool,
    },
    /// Remove the `*` target naming `peer`.
    RemoveTarget { service: String, peer: String },
    /// Send every call for `service` to `target` (a service name) on `peer`.
    Redirect {
        service: String,
        peer: String,
        target: String,
    },
    /// Remove the redirect.
    ClearRedirect { service: String },
}

/// Where a problem belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolverField {
    /// The `*` target naming this peer.
    Target(String),
    /// The failover list as a whole.
    Failover,
    Redirect,
    /// The entry (its name, subsets, Meta…).
    Entry,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolverProblem {
    pub service: String,
    pub field: ResolverField,
    pub message: String,
}

fn any_subset_position(entry: &Value, peer: &str) -> Option<usize> {
    let block = failover_map(entry)?.get(ANY_SUBSET)?;
    targets(block).iter().position(|t| text(t, "Peer") == peer)
}

impl ResolverChange {
    pub fn service(&self) -> &str {
        match self {
            Self::AddTarget { service, .. }
            | Self::MoveTarget { service, .. }
            | Self::RemoveTarget { service, .. }
            | Self::Redirect { service, .. }
            | Self::ClearRedirect { service } => service,
        }
    }

    pub fn peer(&self) -> &str {
        match self {
            Self::AddTarget { peer, .. }
            | Self::MoveTarget { peer, .. }
            | Self::RemoveTarget { peer, .. }
            | Self::Redirect { peer, .. } => peer,
            Self::ClearRedirect { .. } => "",
        }
    }

    fn is_failover(&self) -> bool {
        !matches!(self, Self::Redirect { .. } | Self::ClearRedirect { .. })
    }

    /// Problems found before sending, in Consul's words where Consul has them (the rules of
    /// `ServiceResolverConfigEntry.Validate` that this change can break).
    pub fn check(&self, base: Option<&Value>) -> Vec<ResolverProblem> {
        let problem = |field: ResolverField, message: &str| ResolverProblem {
            service: self.service().to_string(),
            field,
            message: message.to_string(),
        };
        if self.service().trim().is_empty() {
            return vec![problem(ResolverField::Entry, "Name is required")];
        }
        if matches!(self, Self::AddTarget { .. } | Self::Redirect { .. })
            && self.peer().trim().is_empty()
        {
            let field = if self.is_failover() {
                ResolverField::Failover
            } else {
                ResolverField::Redirect
            };
            return vec![problem(field, NO_PEER)];
        }
        match self.apply(base) {
            Some(after) => validate(&after)
                .map(|m| vec![self.locate(&m, &after)])
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    fn locate(&self, message: &str, sent: &Value) -> ResolverProblem {
        let field = if message == "Redirect and Failover cannot both be set" {
            if self.is_failover() {
                ResolverField::Failover
            } else {
                ResolverField::Redirect
            }
        } else if message.starts_with("Redirect") {
            ResolverField::Redirect
        } else if let Some(rest) = message.strip_prefix("Bad Failover[") {
            // Bad Failover["*"].Targets[1]: … → the target's peer.
            let target = rest.split_once("].Targets[").and_then(|(subset, tail)| {
                let subset: String = serde_json::from_str(subset).ok()?;
                let index: usize = tail.split_once(']')?.0.parse().ok()?;
                let block = failover_map(sent)?.get(&subset)?;
                let peer = text(targets(block).get(index)?, "Peer");
                (subset == ANY_SUBSET && !peer.is_empty()).then_some(peer)
            });
            target.map_or(ResolverField::Failover, ResolverField::Target)
        } else {
            ResolverField::Entry
        };
        ResolverProblem {
            service: self.service().to_string(),
            field,
            message: message.to_string(),
        }
    }
}

/// The peer-related rules of `ServiceResolverConfigEntry.Validate` (Consul 1.14–1.18), in its
/// order, with its texts: the first one `entry` breaks.
pub fn validate(entry: &Value) -> Option<String> {
    let failover = failover_map(entry).filter(|m| !m.is_empty());
    if let Some(r) = entry.get("Redirect").filter(|r| r.is_object()) {
        if failover.is_some() {
            return Some("Redirect and Failover cannot both be set".into());
        }
        let (service, subset, partition, dc, peer) = (
            text(r, "Service"),
            text(r, "ServiceSubset"),
            text(r, "Partition"),
            text(r, "Datacenter"),
            text(r, "Peer"),
        );
        if !peer.is_empty() {
            if !subset.is_empty() {
                return Some("Redirect.Peer cannot be set with Redirect.ServiceSubset".into());
            }
            if !partition.is_empty() {
                return Some("Redirect.Partition cannot be set with Redirect.Peer".into());
            }
            if !dc.is_empty() {
                return Some("Redirect.Peer cannot be set with Redirect.Datacenter".into());
            }
            if service.is_empty() {
                return Some("Redirect.Peer defined without Redirect.Service".into());
            }
        }
    }
    for (subset, f) in failover.into_iter().flatten() {
        let has_targets = !targets(f).is_empty();
        let dcs = f
            .get("Datacenters")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        // Go's %q quoting of the subset key.
        let key = serde_json::to_string(subset).unwrap_or_default();
        if has_targets && dcs {
            return Some(format!(
                "Bad Failover[{key}]: Targets cannot be set with Datacenters"
            ));
        }
        if has_targets && !text(f, "ServiceSubset").is_empty() {
            return Some(format!(
                "Bad Failover[{key}]: Targets cannot be set with ServiceSubset"
            ));
        }
        if has_targets && !text(f, "Service").is_empty() {
            return Some(format!(
                "Bad Failover[{key}]: Targets cannot be set with Service"
            ));
        }
        for (i, t) in targets(f).iter().enumerate() {
            let prefix = format!("Bad Failover[{key}].Targets[{i}]: ");
            let peer = !text(t, "Peer").is_empty();
            if peer && !text(t, "ServiceSubset").is_empty() {
                return Some(format!("{prefix}Peer cannot be set with ServiceSubset"));
            }
            if peer && !text(t, "Partition").is_empty() {
                return Some(format!("{prefix}Partition cannot be set with Peer"));
            }
            if peer && !text(t, "Datacenter").is_empty() {
                return Some(format!("{prefix}Peer cannot be set with Datacenter"));
            }
        }
    }
    None
}

fn any_subset_targets(entry: &mut Value) -> Option<&mut Vec<Value>> {
    if !entry.get("Failover").is_some_and(Value::is_object) {
        entry["Failover"] = json!({});
    }
    let failover = &mut entry["Failover"];
    if !failover.get(ANY_SUBSET).is_some_and(Value::is_object) {
        failover[ANY_SUBSET] = json!({});
    }
    let block = &mut failover[ANY_SUBSET];
    if !block.get("Targets").is_some_and(Value::is_array) {
        block["Targets"] = json!([]);
    }
    block.get_mut("Targets").and_then(Value::as_array_mut)
}

/// After a removal: drop an emptied `*` block and an emptied `Failover`.
fn tidy_failover(entry: &mut Value) {
    let Some(map) = entry.get_mut("Failover").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(block) = map.get_mut(ANY_SUBSET).and_then(Value::as_object_mut) {
        if block
            .get("Targets")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            block.remove("Targets");
        }
        if block.is_empty() {
            map.remove(ANY_SUBSET);
        }
    }
    if map.is_empty() {
        if let Some(obj) = entry.as_object_mut() {
            obj.remove("Failover");
        }
    }
}

impl EntryChange for ResolverChange {
    type Problem = ResolverProblem;

    fn kind(&self) -> &'static str {
        KIND
    }

    fn entry_name(&self) -> String {
        self.service().trim().to_string()
    }

    fn apply(&self, base: Option<&Value>) -> Option<Value> {
        let mut entry = base
            .map(without_computed)
            .unwrap_or_else(|| json!({"Kind": KIND, "Name": self.entry_name()}));
        match self {
            Self::AddTarget { peer, .. } => {
                if any_subset_position(&entry, peer).is_none() {
                    if let Some(list) = any_subset_targets(&mut entry) {
                        list.push(json!({"Peer": peer}));
                    }
                }
            }
            Self::MoveTarget { peer, up, .. } => {
                if let Some(i) = any_subset_position(&entry, peer) {
                    let j = if *up { i.checked_sub(1) } else { Some(i + 1) };
                    if let (Some(list), Some(j)) = (any_subset_targets(&mut entry), j) {
                        if j < list.len() {
                            list.swap(i, j);
                        }
                    }
                }
            }
            Self::RemoveTarget { peer, .. } => {
                if let Some(i) = any_subset_position(&entry, peer) {
                    if let Some(list) = any_subset_targets(&mut entry) {
                        list.remove(i);
                    }
                    tidy_failover(&mut entry);
                }
            }
            Self::Redirect {
                service,
                peer,
                target,
            } => {
                let mut redirect = match entry.get("Redirect") {
                    Some(Value::Object(r)) => r.clone(),
                    _ => Map::new(),
                };
                let target = if target.trim().is_empty() {
                    service.trim()
                } else {
                    target.trim()
                };
                redirect.insert("Service".into(), json!(target));
                redirect.insert("Peer".into(), json!(peer.trim()));
                entry["Redirect"] = Value::Object(redirect);
            }
            Self::ClearRedirect { .. } => {
                if let Some(obj) = entry.as_object_mut() {
                    obj.remove("Redirect");
                }
            }
        }
        Some(entry)
    }

    fn describe(&self) -> String {
        let service = self.service();
        match self {
            Self::AddTarget { peer, .. } => {
                format!("add {peer} as a failover target for {service}")
            }
            Self::MoveTarget { peer, up: true, .. } => {
                format!("try {peer} earlier when {service} fails over")
            }
            Self::MoveTarget {
                peer, up: false, ..
            } => format!("try {peer} later when {service} fails over"),
            Self::RemoveTarget { peer, .. } => {
                format!("remove {peer} from the failover targets of {service}")
            }
            Self::Redirect { peer, target, .. } => {
                let target = if target.trim().is_empty() {
                    service
                } else {
                    target.trim()
                };
                format!("redirect {service} to {target} on {peer}")
            }
            Self::ClearRedirect { .. } => format!("remove the redirect of {service}"),
        }
    }

    fn subject(&self) -> String {
        "this service-resolver".into()
    }

    fn entry_label(&self) -> String {
        format!("the service-resolver of {}", self.service())
    }

    fn problems_onto(&self, base: Option<&Value>) -> Vec<ResolverProblem> {
        self.check(base)
    }

    fn unchanged(&self) -> Option<String> {
        Some(format!(
            "Nothing to change: {} is already so.",
            self.service()
        ))
    }

    fn place(&self, message: &str, sent: &Value) -> Option<ResolverProblem> {
        let message = unwrap_consul_error(message);
        let known = [
            "Bad ",
            "Redirect",
            "Name is required",
            "Meta",
            "Subset",
            "DefaultSubset",
            "Cross-",
            "1 error occurred",
        ];
        known
            .iter()
            .any(|k| message.starts_with(k))
            .then(|| self.locate(message, sent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry_edit::{Proposal, Stage};
    use crate::model::failover::resolver::view_of;

    fn resolver(index: u64, failover: Value) -> Value {
        json!({"Kind": KIND, "Name": "api", "ModifyIndex": index, "ConnectTimeout": "15s",
               "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"}},
               "LoadBalancer": {"Policy": "least_request"}, "FutureField": {"x": 1},
               "Failover": failover})
    }

    fn peers_of(entry: &Value) -> Vec<String> {
        view_of(entry).any_subset_peers()
    }

    #[test]
    fn adding_appends_and_keeps_every_other_field() {
        let base = resolver(7, json!({"*": {"Targets": [{"Peer": "dc3"}]}}));
        let p = Proposal::new(
            ResolverChange::AddTarget {
                service: "api".into(),
                peer: "dc2".into(),
            },
            Some(base.clone()),
        );
        assert_eq!(p.cas(), 7);
        let after = p.after().cloned().unwrap_or_default();
        assert_eq!(peers_of(&after), ["dc3", "dc2"]);
        for key in ["ConnectTimeout", "Subsets", "LoadBalancer", "FutureField"] {
            assert_eq!(after[key], base[key], "{key} kept");
        }
        // Adding a peer that is already a target changes nothing.
        let again = Proposal::new(
            ResolverChange::AddTarget {
                service: "api".into(),
                peer: "dc3".into(),
            },
            Some(base),
        );
        assert!(again.is_noop());
        // No resolver yet: one is created with just the failover.
        let fresh = Proposal::new(
            ResolverChange::AddTarget {
                service: "api".into(),
                peer: "dc2".into(),
            },
            None,
        );
        assert_eq!(
            fresh.after(),
            Some(
                &json!({"Kind": KIND, "Name": "api", "Failover": {"*": {"Targets": [{"Peer": "dc2"}]}}})
            )
        );
    }

    #[test]
    fn moving_and_removing_touch_only_that_target() {
        let base = resolver(
            2,
            json!({"*": {"Targets": [{"Peer": "a"}, {"Datacenter": "dc9"}, {"Peer": "b"}]},
                                      "v1": {"Targets": [{"Peer": "a"}]}}),
        );
        let up = ResolverChange::MoveTarget {
            service: "api".into(),
            peer: "b".into(),
            up: true,
        };
        let after = up.apply(Some(&base)).unwrap_or_default();
        assert_eq!(
            after["Failover"]["*"]["Targets"],
            json!([{"Peer": "a"}, {"Peer": "b"}, {"Datacenter": "dc9"}])
        );
        assert_eq!(after["Failover"]["v1"], base["Failover"]["v1"]);
        let first_up = ResolverChange::MoveTarget {
            service: "api".into(),
            peer: "a".into(),
            up: true,
        };
        assert!(Proposal::new(first_up, Some(base.clone())).is_noop());
        let last_down = ResolverChange::MoveTarget {
            service: "api".into(),
            peer: "b".into(),
            up: false,
        };
        assert!(Proposal::new(last_down, Some(base.clone())).is_noop());
        let remove = ResolverChange::RemoveTarget {
            service: "api".into(),
            peer: "a".into(),
        };
        let after = remove.apply(Some(&base)).unwrap_or_default();
        assert_eq!(
            after["Failover"]["*"]["Targets"],
            json!([{"Datacenter": "dc9"}, {"Peer": "b"}])
        );
        assert_eq!(
            after["Failover"]["v1"]["Targets"],
            json!([{"Peer": "a"}]),
            "other subsets untouched"
        );
        // Removing the last target removes the emptied failover, not the resolver.
        let only = resolver(2, json!({"*": {"Targets": [{"Peer": "a"}]}}));
        let after = remove.apply(Some(&only)).unwrap_or_default();
        assert!(after.get("Failover").is_none());
        assert_eq!(after["LoadBalancer"], only["LoadBalancer"]);
    }

    #[test]
    fn reapplying_a_move_keeps_a_target_someone_added_meanwhile() {
        let seen = resolver(2, json!({"*": {"Targets": [{"Peer": "a"}, {"Peer": "b"}]}}));
        let Some(p) = Stage::review(
            ResolverChange::MoveTarget {
                service: "api".into(),
                peer: "b".into(),
                up: true,
            },
            Some(seen),
        )
        .proposal()
        .cloned() else {
            panic!("reviewing")
        };
        let latest = resolver(
            3,
            json!({"*": {"Targets": [{"Peer": "a"}, {"Peer": "b"}, {"Peer": "c"}]}}),
        );
        let Some(again) = Stage::lost_race(p, Some(latest))
            .reapply(&[])
            .proposal()
            .cloned()
        else {
            panic!("reviewing")
        };
        assert_eq!(again.cas(), 3);
        assert_eq!(
            peers_of(again.after().unwrap_or(&json!({}))),
            ["b", "a", "c"]
        );
    }

    #[test]
    fn redirect_to_a_peer_and_its_removal() {
        let base = json!({"Kind": KIND, "Name": "web", "ModifyIndex": 4, "Redirect": {"Namespace": "team"}, "Meta": {"k": "v"}});
        let change = ResolverChange::Redirect {
            service: "web".into(),
            peer: "dc2".into(),
            target: String::new(),
        };
        let after = change.apply(Some(&base)).unwrap_or_default();
        assert_eq!(
            after["Redirect"],
            json!({"Namespace": "team", "Service": "web", "Peer": "dc2"})
        );
        assert_eq!(after["Meta"], json!({"k": "v"}));
        assert!(change.check(Some(&base)).is_empty());
        let clear = ResolverChange::ClearRedirect {
            service: "web".into(),
        };
        assert!(clear
            .apply(Some(&after))
            .is_some_and(|e| e.get("Redirect").is_none()));
    }

    #[test]
    fn consul_rules_are_checked_before_sending_with_consuls_words_at_their_field() {
        let with_subset = json!({"Kind": KIND, "Name": "web", "Subsets": {"v1": {}}, "Redirect": {"Service": "web", "ServiceSubset": "v1"}});
        let change = ResolverChange::Redirect {
            service: "web".into(),
            peer: "dc2".into(),
            target: String::new(),
        };
        assert_eq!(
            change.check(Some(&with_subset)),
            vec![ResolverProblem {
                service: "web".into(),
                field: ResolverField::Redirect,
                message: "Redirect.Peer cannot be set with Redirect.ServiceSubset".into()
            }]
        );
        let with_dc = json!({"Kind": KIND, "Name": "web", "Redirect": {"Datacenter": "dc3"}});
        assert_eq!(
            change.check(Some(&with_dc))[0].message,
            "Redirect.Peer cannot be set with Redirect.Datacenter"
        );
        let with_failover = resolver(1, json!({"*": {"Targets": [{"Peer": "dc3"}]}}));
        let redirect_api = ResolverChange::Redirect {
            service: "api".into(),
            peer: "dc2".into(),
            target: String::new(),
        };
        let p = redirect_api.check(Some(&with_failover));
        assert_eq!(
            (p[0].field.clone(), p[0].message.as_str()),
            (
                ResolverField::Redirect,
                "Redirect and Failover cannot both be set"
            )
        );
        // The older failover form cannot take targets.
        let old = resolver(1, json!({"*": {"Datacenters": ["dc3"]}}));
        let add = ResolverChange::AddTarget {
            service: "api".into(),
            peer: "dc2".into(),
        };
        let p = add.check(Some(&old));
        assert_eq!(
            (p[0].field.clone(), p[0].message.as_str()),
            (
                ResolverField::Failover,
                "Bad Failover[\"*\"]: Targets cannot be set with Datacenters"
            )
        );
        let no_peer = ResolverChange::AddTarget {
            service: "api".into(),
            peer: " ".into(),
        };
        assert_eq!(no_peer.check(None)[0].message, NO_PEER);
    }

    #[test]
    fn consul_answers_are_placed_at_the_target_they_name() {
        let sent = resolver(
            1,
            json!({"*": {"Targets": [{"Peer": "dc3"}, {"Peer": "dc2", "Datacenter": "x"}]}}),
        );
        let add = ResolverChange::AddTarget {
            service: "api".into(),
            peer: "dc2".into(),
        };
        let placed = add.place("rpc error making call: Bad Failover[\"*\"].Targets[1]: Peer cannot be set with Datacenter", &sent);
        assert_eq!(
            placed.as_ref().map(|p| p.field.clone()),
            Some(ResolverField::Target("dc2".into()))
        );
        assert_eq!(
            placed.map(|p| p.message),
            Some("Bad Failover[\"*\"].Targets[1]: Peer cannot be set with Datacenter".to_string())
        );
        let placed = add.place("Bad Failover[\"v1\"]: not a valid subset subset", &sent);
        assert_eq!(placed.map(|p| p.field), Some(ResolverField::Failover));
        assert_eq!(
            add.place("Meta key \"\" is invalid", &sent)
                .map(|p| p.field),
            Some(ResolverField::Entry)
        );
        assert_eq!(add.place("Permission denied", &sent), None);
    }
}
