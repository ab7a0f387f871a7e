//! One edit of one config entry, written with check-and-set: edit → review (what will be
//! written) → save with `cas` → on a lost race, the conflict and "reapply my change". The stages
//! and transitions are pure here; `components::entry_editor` runs them against Consul.
//!
//! Two rules keep another writer's change safe:
//! - a [`Proposal`] holds the exact version its write was built from, and its `cas` is that
//!   version's `ModifyIndex`: the write and the guard can never come from two different reads;
//! - an [`EntryChange`] is the operator's own change (not a copy of the whole form), so
//!   reapplying it onto the latest version keeps whatever else changed meanwhile.
use crate::model::consul::config_entry::{modify_index, without_computed};
use serde_json::Value;

/// A change an operator makes to one config entry, re-appliable onto any version of it.
pub trait EntryChange: Clone + PartialEq + Send + Sync + 'static {
    /// A problem placed next to what it is about (a field, a service row).
    type Problem: Clone + PartialEq + Send + Sync + 'static;

    /// The entry's kind, e.g. `service-intentions`.
    fn kind(&self) -> &'static str;
    /// The entry's name, e.g. the destination service.
    fn entry_name(&self) -> String;
    /// The change applied onto `base` (`None`: there is no entry yet). `None` means the change
    /// leaves nothing to keep, so the entry is deleted.
    fn apply(&self, base: Option<&Value>) -> Option<Value>;
    /// An entry as it would be written back: without the fields Consul computes.
    fn writable(&self, entry: &Value) -> Value {
        without_computed(entry)
    }
    /// In a sentence for the operator: "export api to dc2".
    fn describe(&self) -> String;
    /// What a concurrent writer could have changed, e.g. "these intentions".
    fn subject(&self) -> String;
    /// The entry in a sentence, e.g. "the intentions for api".
    fn entry_label(&self) -> String;
    /// Problems with the change itself, found before any version is read (a required field).
    fn problems(&self) -> Vec<Self::Problem> {
        Vec::new()
    }
    /// Problems with the change applied onto `base`, the version it would be written onto (a
    /// duplicate, a rule of Consul's it would break).
    fn problems_onto(&self, _base: Option<&Value>) -> Vec<Self::Problem> {
        Vec::new()
    }
    /// What to tell the operator instead of a review when saving would change nothing (`None`:
    /// review it all the same).
    fn unchanged(&self) -> Option<String> {
        None
    }
    /// What the status line says once Consul accepted the write.
    fn saved(&self) -> String {
        format!("Saved: {}.", self.describe())
    }
    /// Consul's validation message placed where it belongs, when it is one (`sent` is the entry
    /// that was written); `None` for anything else.
    fn place(&self, message: &str, sent: &Value) -> Option<Self::Problem>;
    /// What both the operator and the other writer changed, between the version the operator
    /// saw and the latest: the values that would collide on a reapply.
    fn clashes(&self, _seen: Option<&Value>, _latest: Option<&Value>) -> Vec<Clash> {
        Vec::new()
    }
    /// The change without the fields the other writer's value should win for.
    fn yield_to_theirs(&self, _fields: &[String]) -> Self {
        self.clone()
    }
}

/// A field both writers changed: the operator decides which value wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clash {
    pub field: String,
    pub theirs: String,
    pub mine: String,
}

/// What a save sends.
#[derive(Clone, Debug, PartialEq)]
pub enum Write {
    /// `PUT /v1/config?cas=N` with this entry.
    Upsert(Value),
    /// `DELETE /v1/config/:kind/:name?cas=N`.
    Delete,
}

/// A change applied onto one version, ready to be reviewed and saved.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal<C> {
    pub change: C,
    /// The version the write was built from (`None`: the entry did not exist).
    pub base: Option<Value>,
    pub write: Write,
}

impl<C: EntryChange> Proposal<C> {
    /// The change applied onto `base`.
    pub fn new(change: C, base: Option<Value>) -> Self {
        let write = match change.apply(base.as_ref()) {
            Some(entry) => Write::Upsert(entry),
            None => Write::Delete,
        };
        Self {
            change,
            base,
            write,
        }
    }

    /// The check-and-set guard: the base's `ModifyIndex`, or 0 ("only if it does not exist").
    pub fn cas(&self) -> u64 {
        self.base.as_ref().and_then(modify_index).unwrap_or(0)
    }

    /// Saving would change nothing.
    pub fn is_noop(&self) -> bool {
        match (&self.write, &self.base) {
            (Write::Upsert(entry), Some(base)) => self.change.writable(base) == *entry,
            (Write::Delete, None) => true,
            _ => false,
        }
    }

    /// The base as it would be written back, for comparing with what will be written.
    pub fn before(&self) -> Option<Value> {
        self.base.as_ref().map(|b| self.change.writable(b))
    }

    /// The entry as it will be after the write (`None`: deleted).
    pub fn after(&self) -> Option<&Value> {
        match &self.write {
            Write::Upsert(entry) => Some(entry),
            Write::Delete => None,
        }
    }
}

/// Where an edit is.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage<C> {
    /// The form (or list) is shown; nothing is proposed.
    Editing,
    /// The proposal is shown before it is written.
    Reviewing(Proposal<C>),
    /// The write lost the race: `latest` is the entry as it is now (`None`: deleted meanwhile).
    Conflict {
        proposal: Proposal<C>,
        latest: Option<Value>,
    },
}

impl<C: EntryChange> Stage<C> {
    /// Review `change` applied onto `base`, the version the operator is looking at.
    pub fn review(change: C, base: Option<Value>) -> Self {
        Self::Reviewing(Proposal::new(change, base))
    }

    /// A lost race: keep the proposal (what the operator meant) next to the latest version.
    pub fn lost_race(proposal: Proposal<C>, latest: Option<Value>) -> Self {
        Self::Conflict { proposal, latest }
    }

    /// "Reapply my change": the operator's own change onto the latest version, reviewed again.
    /// `theirs_win` names clashing fields whose other writer's value is kept.
    pub fn reapply(self, theirs_win: &[String]) -> Self {
        match self {
            Self::Conflict { proposal, latest } => {
                let change = if theirs_win.is_empty() {
                    proposal.change
                } else {
                    proposal.change.yield_to_theirs(theirs_win)
                };
                Self::review(change, latest)
            }
            other => other,
        }
    }

    /// The proposal being reviewed (`None` in any other stage).
    pub fn proposal(&self) -> Option<&Proposal<C>> {
        match self {
            Self::Reviewing(p) => Some(p),
            _ => None,
        }
    }

    /// In a conflict: the proposal that lost the race and the entry as it is now.
    pub fn conflict(&self) -> Option<(&Proposal<C>, Option<&Value>)> {
        match self {
            Self::Conflict { proposal, latest } => Some((proposal, latest.as_ref())),
            _ => None,
        }
    }

    pub fn is_editing(&self) -> bool {
        matches!(self, Self::Editing)
    }

    /// The fields both writers changed, in a conflict.
    pub fn clashes(&self) -> Vec<Clash> {
        match self {
            Self::Conflict { proposal, latest } => proposal
                .change
                .clashes(proposal.base.as_ref(), latest.as_ref()),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A toy change: set one key of a `demo` entry, or remove the entry.
    #[derive(Clone, Debug, PartialEq)]
    enum Toy {
        Set(&'static str, i64),
        Remove,
    }

    impl EntryChange for Toy {
        type Problem = String;
        fn kind(&self) -> &'static str {
            "demo"
        }
        fn entry_name(&self) -> String {
            "one".into()
        }
        fn apply(&self, base: Option<&Value>) -> Option<Value> {
            match self {
                Toy::Remove => None,
                Toy::Set(key, value) => {
                    let mut entry = base
                        .map(without_computed)
                        .unwrap_or_else(|| json!({"Kind": "demo", "Name": "one"}));
                    entry[*key] = json!(value);
                    Some(entry)
                }
            }
        }
        fn describe(&self) -> String {
            format!("{self:?}")
        }
        fn subject(&self) -> String {
            "the demo".into()
        }
        fn entry_label(&self) -> String {
            "the demo one".into()
        }
        fn place(&self, message: &str, _sent: &Value) -> Option<String> {
            message.starts_with("A:").then(|| message.to_string())
        }
        fn clashes(&self, seen: Option<&Value>, latest: Option<&Value>) -> Vec<Clash> {
            let Toy::Set(key, mine) = self else {
                return Vec::new();
            };
            let get = |v: Option<&Value>| v.and_then(|v| v.get(*key)).cloned();
            let theirs = get(latest);
            if get(seen) != theirs {
                vec![Clash {
                    field: key.to_string(),
                    theirs: theirs.map(|t| t.to_string()).unwrap_or_default(),
                    mine: mine.to_string(),
                }]
            } else {
                Vec::new()
            }
        }
        fn yield_to_theirs(&self, fields: &[String]) -> Self {
            match self {
                Toy::Set(key, _) if fields.iter().any(|f| f == key) => Toy::Set("noop", 0),
                other => other.clone(),
            }
        }
    }

    fn v(index: u64, a: i64, b: i64) -> Value {
        json!({"Kind": "demo", "Name": "one", "A": a, "B": b, "ModifyIndex": index, "CreateIndex": 1})
    }

    #[test]
    fn the_write_is_built_from_the_version_it_guards_with() {
        let seen = v(7, 1, 1);
        let p = Proposal::new(Toy::Set("A", 2), Some(seen.clone()));
        assert_eq!(p.cas(), 7);
        assert_eq!(
            p.write,
            Write::Upsert(json!({"Kind": "demo", "Name": "one", "A": 2, "B": 1}))
        );
        assert_eq!(p.base, Some(seen));
        // No entry yet: create only if it still does not exist.
        let fresh = Proposal::new(Toy::Set("A", 2), None);
        assert_eq!(fresh.cas(), 0);
        // A removal deletes, with the same guard.
        let gone = Proposal::new(Toy::Remove, Some(v(9, 1, 1)));
        assert_eq!((gone.write.clone(), gone.cas()), (Write::Delete, 9));
        assert_eq!(gone.after(), None);
    }

    #[test]
    fn noop_is_detected() {
        assert!(Proposal::new(Toy::Set("A", 1), Some(v(3, 1, 1))).is_noop());
        assert!(!Proposal::new(Toy::Set("A", 2), Some(v(3, 1, 1))).is_noop());
        assert!(Proposal::new(Toy::Remove, None).is_noop());
        assert!(!Proposal::new(Toy::Set("A", 1), None).is_noop());
    }

    #[test]
    fn reapply_puts_only_my_change_onto_the_latest_version() {
        let stage = Stage::review(Toy::Set("A", 2), Some(v(7, 1, 1)));
        let Stage::Reviewing(proposal) = stage else {
            panic!("reviewing")
        };
        // Someone else changed B meanwhile.
        let latest = v(8, 1, 5);
        let conflict = Stage::lost_race(proposal, Some(latest.clone()));
        assert!(conflict.clashes().is_empty());
        let Stage::Reviewing(again) = conflict.reapply(&[]) else {
            panic!("reviewing again")
        };
        assert_eq!(again.cas(), 8, "guarded by the latest version");
        assert_eq!(again.base, Some(latest));
        assert_eq!(
            again.after(),
            Some(&json!({"Kind": "demo", "Name": "one", "A": 2, "B": 5})),
            "their B kept, my A applied"
        );
    }

    #[test]
    fn a_field_both_changed_is_a_clash_and_theirs_can_win() {
        let Stage::Reviewing(proposal) = Stage::review(Toy::Set("A", 2), Some(v(7, 1, 1))) else {
            panic!("reviewing")
        };
        let conflict = Stage::lost_race(proposal, Some(v(8, 9, 1)));
        assert_eq!(
            conflict.clashes(),
            vec![Clash {
                field: "A".into(),
                theirs: "9".into(),
                mine: "2".into()
            }]
        );
        let Stage::Reviewing(theirs) = conflict.clone().reapply(&["A".to_string()]) else {
            panic!("reviewing")
        };
        assert_eq!(theirs.after().map(|e| e["A"].clone()), Some(json!(9)));
        let Stage::Reviewing(mine) = conflict.reapply(&[]) else {
            panic!("reviewing")
        };
        assert_eq!(mine.after().map(|e| e["A"].clone()), Some(json!(2)));
    }

    #[test]
    fn deleted_meanwhile_reapplies_onto_nothing() {
        let Stage::Reviewing(proposal) = Stage::review(Toy::Set("A", 2), Some(v(7, 1, 1))) else {
            panic!("reviewing")
        };
        let Stage::Reviewing(again) = Stage::lost_race(proposal, None).reapply(&[]) else {
            panic!("reviewing")
        };
        assert_eq!(again.cas(), 0);
        assert_eq!(
            again.after(),
            Some(&json!({"Kind": "demo", "Name": "one", "A": 2}))
        );
        // Reapply outside a conflict changes nothing.
        assert_eq!(Stage::<Toy>::Editing.reapply(&[]), Stage::<Toy>::Editing);
        assert_eq!(
            Toy::Set("A", 1).place("A: bad", &json!({})),
            Some("A: bad".into())
        );
    }
}
