//! One edit of one `service-resolver` entry for the check-and-set editor: add, reorder or
//! remove a failover target naming a peer, redirect to a peer, remove a redirect. Every other
//! field (subsets, load balancing, later Consul versions' fields) survives the edit.
//!
//! Rules and texts from Consul's `agent/structs/config_entry_discoverychain.go`
//! (`ServiceResolverConfigEntry.Validate`).
use super::resolver::{failover_map, targets, Target, ANY_SUBSET, KIND};
use crate::model::consul::config_entry::{text, without_computed};
use crate::model::consul::texts::unwrap_consul_error;
use crate::model::entry_edit::EntryChange;
use serde_json::{json, Map, Value};

/// The console's own text when no peer is chosen (Consul has none: it would write a target
/// that fails over to this cluster).
pub const NO_PEER: &str = "choose the peer";

/// One row of `Failover["*"].Targets` as the operator saw it: the target's whole value and its
/// position (0-based), and its name for people. A row's action acts on that exact value, never
/// on another target that merely names the same peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetRow {
    pub value: Value,
    pub position: usize,
    pub name: String,
}

impl TargetRow {
    /// The row of `target`, at `position` in the list shown.
    pub fn of(target: &Target, position: usize) -> Self {
        Self {
            value: target.value.clone(),
            position,
            name: target.name.clone(),
        }
    }
}

/// One edit of one resolver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolverChange {
    /// Append `{"Peer": peer}` to `Failover["*"].Targets`.
    AddTarget { service: String, peer: String },
    /// Move that `*` target one place earlier (`up`) or later.
    MoveTarget {
        service: String,
        row: TargetRow,
        up: bool,
    },
    /// Remove that `*` target.
    RemoveTarget { service: String, row: TargetRow },
    /// Send every call for `service` to `target` (a service name) on `peer`.
    Redirect {
        service: String,
        peer: String,
        target: String,
    },
    /// Remove the redirect, as seen (`seen`: its whole value).
    ClearRedirect { service: String, seen: Value },
}

/// Where a problem belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolverField {
    /// The `*` target with this whole value.
    Target(Value),
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

fn any_subset_list(entry: &Value) -> &[Value] {
    failover_map(entry)
        .and_then(|m| m.get(ANY_SUBSET))
        .map(targets)
        .unwrap_or_default()
}

/// Why a row cannot be found again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lost {
    Gone,
    Ambiguous,
}

/// Where `row` is in `entry`'s `*` targets now: the target equal to its whole value. Another
/// writer may have inserted or removed targets meanwhile (a lost race, then "reapply"), so when
/// the value appears more than once the occurrence nearest its recorded position is taken; two
/// equally near are refused rather than guessed, as is a value that is gone.
fn find_row(entry: &Value, row: &TargetRow) -> Result<usize, Lost> {
    let mut found: Vec<usize> = any_subset_list(entry)
        .iter()
        .enumerate()
        .filter(|(_, t)| **t == row.value)
        .map(|(i, _)| i)
        .collect();
    found.sort_by_key(|i| i.abs_diff(row.position));
    match found.as_slice() {
        [] => Err(Lost::Gone),
        [a, b, ..] if a.abs_diff(row.position) == b.abs_diff(row.position) => Err(Lost::Ambiguous),
        [a, ..] => Ok(*a),
    }
}

impl ResolverChange {
    pub fn service(&self) -> &str {
        match self {
            Self::AddTarget { service, .. }
            | Self::MoveTarget { service, .. }
            | Self::RemoveTarget { service, .. }
            | Self::Redirect { service, .. }
            | Self::ClearRedirect { service, .. } => service,
        }
    }

    /// The peer a new target or redirect names (empty for the other changes).
    pub fn peer(&self) -> &str {
        match self {
            Self::AddTarget { peer, .. } | Self::Redirect { peer, .. } => peer,
            _ => "",
        }
    }

    /// Why the row or redirect this change acts on is not in `base` as the operator saw it:
    /// then nothing is changed rather than another target or redirect.
    pub fn stale(&self, base: Option<&Value>) -> Option<ResolverProblem> {
        let service = self.service();
        let (field, message) = match self {
            Self::MoveTarget { row, .. } | Self::RemoveTarget { row, .. } => {
                let found = base.map_or(Err(Lost::Gone), |b| find_row(b, row));
                let message = match found.err()? {
                    Lost::Gone => format!(
                        "The failover target {} of {service} has changed or is gone: nothing was changed.",
                        row.name
                    ),
                    Lost::Ambiguous => format!(
                        "{service} now has several failover targets like {}: nothing was changed; choose the row again.",
                        row.name
                    ),
                };
                (ResolverField::Failover, message)
            }
            Self::ClearRedirect { seen, .. } => {
                if base.and_then(|b| b.get("Redirect")) == Some(seen) {
                    return None;
                }
                (
                    ResolverField::Redirect,
                    format!(
                        "The redirect of {service} has changed or is gone: nothing was changed."
                    ),
                )
            }
            _ => return None,
        };
        Some(ResolverProblem {
            service: service.to_string(),
            field,
            message,
        })
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
        if let Some(stale) = self.stale(base) {
            return vec![stale];
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
            // Bad Failover["*"].Targets[1]: … → that target, by its whole value.
            let target = rest.split_once("].Targets[").and_then(|(subset, tail)| {
                let subset: String = serde_json::from_str(subset).ok()?;
                let index: usize = tail.split_once(']')?.0.parse().ok()?;
                let block = failover_map(sent)?.get(&subset)?;
                let target = targets(block).get(index)?;
                (subset == ANY_SUBSET && !text(target, "Peer").is_empty()).then(|| target.clone())
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
                // Whole-value: a target naming the peer for another service is another target.
                let new = json!({"Peer": peer});
                if !any_subset_list(&entry).contains(&new) {
                    if let Some(list) = any_subset_targets(&mut entry) {
                        list.push(new);
                    }
                }
            }
            Self::MoveTarget { row, up, .. } => {
                if let Ok(i) = find_row(&entry, row) {
                    let j = if *up { i.checked_sub(1) } else { Some(i + 1) };
                    if let (Some(list), Some(j)) = (any_subset_targets(&mut entry), j) {
                        if j < list.len() {
                            list.swap(i, j);
                        }
                    }
                }
            }
            Self::RemoveTarget { row, .. } => {
                if let Ok(i) = find_row(&entry, row) {
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
            Self::ClearRedirect { seen, .. } => {
                if entry.get("Redirect") == Some(seen) {
                    if let Some(obj) = entry.as_object_mut() {
                        obj.remove("Redirect");
                    }
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
            Self::MoveTarget { row, up: true, .. } => {
                format!("try {} earlier when {service} fails over", row.name)
            }
            Self::MoveTarget { row, up: false, .. } => {
                format!("try {} later when {service} fails over", row.name)
            }
            Self::RemoveTarget { row, .. } => {
                format!("remove {} from the failover targets of {service}", row.name)
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
    use crate::model::failover::resolver::tests::resolver;
    use crate::model::failover::resolver::view_of;

    fn peers_of(entry: &Value) -> Vec<String> {
        view_of(entry).any_subset_peers()
    }

    /// The `*` target at `position` of `entry`, as its row's buttons name it.
    fn row(entry: &Value, position: usize) -> TargetRow {
        let view = view_of(entry);
        TargetRow::of(&view.failover[0].targets[position], position)
    }

    fn any_targets(entry: Option<&Value>) -> Value {
        entry.map_or(Value::Null, |e| e["Failover"]["*"]["Targets"].clone())
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
            row: row(&base, 2),
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
            row: row(&base, 0),
            up: true,
        };
        assert!(Proposal::new(first_up, Some(base.clone())).is_noop());
        let last_down = ResolverChange::MoveTarget {
            service: "api".into(),
            row: row(&base, 2),
            up: false,
        };
        assert!(Proposal::new(last_down, Some(base.clone())).is_noop());
        let remove = ResolverChange::RemoveTarget {
            service: "api".into(),
            row: row(&base, 0),
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
                row: row(&seen, 1),
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
            seen: after["Redirect"].clone(),
        };
        assert!(clear
            .apply(Some(&after))
            .is_some_and(|e| e.get("Redirect").is_none()));
        // Another writer changed the redirect meanwhile: it is not removed, and said so.
        let other =
            json!({"Kind": KIND, "Name": "web", "Redirect": {"Service": "web", "Peer": "dc3"}});
        assert_eq!(clear.apply(Some(&other)).as_ref(), Some(&other));
        assert_eq!(
            clear.check(Some(&other)).first().map(|p| p.field.clone()),
            Some(ResolverField::Redirect)
        );
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
            Some(ResolverField::Target(
                json!({"Peer": "dc2", "Datacenter": "x"})
            ))
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

    /// Two targets on dc2 (another service, then the resolver's own) with dc3 between them.
    fn two_on_dc2(index: u64) -> Value {
        resolver(
            index,
            json!({"*": {"Targets": [{"Peer": "dc2", "Service": "api-v2"}, {"Peer": "dc3"}, {"Peer": "dc2"}]}}),
        )
    }

    #[test]
    fn rows_naming_the_same_peer_have_distinct_names_and_each_acts_on_itself() {
        let base = two_on_dc2(5);
        let names: Vec<_> = view_of(&base).failover[0]
            .targets
            .iter()
            .map(|t| t.name.clone())
            .collect();
        assert_eq!(names, ["dc2 (api-v2)", "dc3", "dc2"]);
        let remove = ResolverChange::RemoveTarget {
            service: "api".into(),
            row: row(&base, 2),
        };
        assert_eq!(
            remove.describe(),
            "remove dc2 from the failover targets of api"
        );
        assert_eq!(
            any_targets(remove.apply(Some(&base)).as_ref()),
            json!([{"Peer": "dc2", "Service": "api-v2"}, {"Peer": "dc3"}])
        );
        let up = ResolverChange::MoveTarget {
            service: "api".into(),
            row: row(&base, 2),
            up: true,
        };
        assert_eq!(
            any_targets(up.apply(Some(&base)).as_ref()),
            json!([{"Peer": "dc2", "Service": "api-v2"}, {"Peer": "dc2"}, {"Peer": "dc3"}])
        );
        let first = ResolverChange::RemoveTarget {
            service: "api".into(),
            row: row(&base, 0),
        };
        assert_eq!(
            first.describe(),
            "remove dc2 (api-v2) from the failover targets of api"
        );
        assert_eq!(
            any_targets(first.apply(Some(&base)).as_ref()),
            json!([{"Peer": "dc3"}, {"Peer": "dc2"}])
        );
        // Adding dc2 (the resolver's own service) is not already done by the api-v2 target.
        let only_v2 = resolver(
            1,
            json!({"*": {"Targets": [{"Peer": "dc2", "Service": "api-v2"}]}}),
        );
        let add = ResolverChange::AddTarget {
            service: "api".into(),
            peer: "dc2".into(),
        };
        assert_eq!(
            any_targets(add.apply(Some(&only_v2)).as_ref()),
            json!([{"Peer": "dc2", "Service": "api-v2"}, {"Peer": "dc2"}])
        );
    }

    #[test]
    fn identical_targets_are_named_by_their_place() {
        let base = resolver(
            1,
            json!({"*": {"Targets": [{"Peer": "dc2"}, {"Peer": "dc2"}]}}),
        );
        let names: Vec<_> = view_of(&base).failover[0]
            .targets
            .iter()
            .map(|t| t.name.clone())
            .collect();
        assert_eq!(names, ["dc2 (target 1)", "dc2 (target 2)"]);
    }

    /// The change reviewed on `seen`, saved too late, reapplied onto `latest`.
    fn reapplied(change: ResolverChange, seen: Value, latest: Value) -> Proposal<ResolverChange> {
        let Some(p) = Stage::review(change, Some(seen)).proposal().cloned() else {
            panic!("reviewing")
        };
        let Some(again) = Stage::lost_race(p, Some(latest))
            .reapply(&[])
            .proposal()
            .cloned()
        else {
            panic!("reviewing")
        };
        again
    }

    #[test]
    fn reapplying_after_an_insert_before_the_row_acts_on_the_same_value() {
        let seen = two_on_dc2(5);
        // Another writer put dc4 first, so the third row is now fourth.
        let latest = resolver(
            6,
            json!({"*": {"Targets": [{"Peer": "dc4"}, {"Peer": "dc2", "Service": "api-v2"}, {"Peer": "dc3"}, {"Peer": "dc2"}]}}),
        );
        let remove = ResolverChange::RemoveTarget {
            service: "api".into(),
            row: row(&seen, 2),
        };
        assert!(remove.check(Some(&latest)).is_empty());
        let again = reapplied(remove, seen.clone(), latest.clone());
        assert_eq!(again.cas(), 6);
        assert_eq!(
            any_targets(again.after()),
            json!([{"Peer": "dc4"}, {"Peer": "dc2", "Service": "api-v2"}, {"Peer": "dc3"}])
        );
        let up = ResolverChange::MoveTarget {
            service: "api".into(),
            row: row(&seen, 2),
            up: true,
        };
        let again = reapplied(up, seen, latest);
        assert_eq!(
            any_targets(again.after()),
            json!([{"Peer": "dc4"}, {"Peer": "dc2", "Service": "api-v2"}, {"Peer": "dc2"}, {"Peer": "dc3"}])
        );
    }

    #[test]
    fn reapplying_when_the_value_is_gone_is_a_problem_not_another_target() {
        let seen = two_on_dc2(5);
        // Another writer removed the plain dc2 target: only the api-v2 one names dc2 now.
        let latest = resolver(
            6,
            json!({"*": {"Targets": [{"Peer": "dc2", "Service": "api-v2"}, {"Peer": "dc3"}]}}),
        );
        for change in [
            ResolverChange::RemoveTarget {
                service: "api".into(),
                row: row(&seen, 2),
            },
            ResolverChange::MoveTarget {
                service: "api".into(),
                row: row(&seen, 2),
                up: true,
            },
        ] {
            let problems = change.check(Some(&latest));
            assert_eq!(
                problems
                    .iter()
                    .map(|p| (p.field.clone(), p.message.as_str()))
                    .collect::<Vec<_>>(),
                [(
                    ResolverField::Failover,
                    "The failover target dc2 of api has changed or is gone: nothing was changed."
                )]
            );
            assert_eq!(change.stale(Some(&latest)), problems.first().cloned());
            let again = reapplied(change, seen.clone(), latest.clone());
            assert!(again.is_noop(), "the api-v2 target is left alone");
        }
        // Two equal values equally near where it was: refused, not guessed.
        let twice = resolver(
            6,
            json!({"*": {"Targets": [{"Peer": "dc3"}, {"Peer": "dc2"}, {"Peer": "dc9"}, {"Peer": "dc2"}]}}),
        );
        let remove = ResolverChange::RemoveTarget {
            service: "api".into(),
            row: row(&seen, 2),
        };
        assert!(remove
            .stale(Some(&twice))
            .is_some_and(|p| p.message.contains("several")));
        assert_eq!(
            remove.apply(Some(&twice)).as_ref().map(without_computed),
            Some(without_computed(&twice))
        );
    }
}
