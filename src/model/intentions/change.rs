//! An intention rule's edit as an edit of its `service-intentions` entry (see `entry_edit`):
//! only the fields the operator changed are written onto the rule, so reapplying after a lost
//! race never reverts another writer's change to a field the operator left alone.
use crate::model::entry_edit::{Clash, EntryChange};
use crate::model::intentions::edit::{
    apply_fields, changed_fields, check_draft, duplicates_other_rule, find_source, remove_source,
    strip_read_only, DraftProblem, Field, FormField, SourceDraft, SourceKey, KIND,
};
use crate::model::intentions::errors::locate;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum IntentionChange {
    /// Add a rule (`original: None`) or edit the rule `original`. `initial` is the form as it
    /// opened: only the fields that differ from it are written onto an existing rule.
    Save {
        original: Option<SourceKey>,
        initial: SourceDraft,
        draft: SourceDraft,
    },
    /// Delete the rule `key` (the whole entry when it is the last one).
    Remove { destination: String, key: SourceKey },
}

impl IntentionChange {
    /// The rule the change is about, as it will be named after the change.
    pub fn rule(&self) -> SourceKey {
        match self {
            Self::Save {
                original, draft, ..
            } => draft.key_within(original.as_ref()),
            Self::Remove { key, .. } => key.clone(),
        }
    }

    /// `web (peer dc2) → api`.
    pub fn rule_label(&self) -> String {
        format!("{} → {}", self.rule().label(), self.entry_name())
    }
}

impl EntryChange for IntentionChange {
    type Problem = DraftProblem;

    fn kind(&self) -> &'static str {
        KIND
    }

    fn entry_name(&self) -> String {
        match self {
            Self::Save { draft, .. } => draft.destination.trim().to_string(),
            Self::Remove { destination, .. } => destination.clone(),
        }
    }

    fn apply(&self, base: Option<&Value>) -> Option<Value> {
        match self {
            Self::Save {
                original,
                initial,
                draft,
            } => Some(apply_fields(
                base,
                original.as_ref(),
                draft,
                &changed_fields(initial, draft),
            )),
            // Removing from nothing leaves nothing; the last rule takes the entry with it.
            Self::Remove { key, .. } => base.and_then(|b| remove_source(b, key)),
        }
    }

    fn writable(&self, entry: &Value) -> Value {
        strip_read_only(entry)
    }

    fn describe(&self) -> String {
        match self {
            Self::Save { original: None, .. } => format!("add the rule {}", self.rule_label()),
            Self::Save { .. } => format!("save the rule {}", self.rule_label()),
            Self::Remove { .. } => format!("delete the rule {}", self.rule_label()),
        }
    }

    fn subject(&self) -> String {
        "these intentions".into()
    }

    fn entry_label(&self) -> String {
        format!("the intentions for {}", self.entry_name())
    }

    fn problems(&self) -> Vec<DraftProblem> {
        match self {
            Self::Save { draft, .. } => check_draft(draft),
            Self::Remove { .. } => Vec::new(),
        }
    }

    /// A rule for the same source elsewhere in the entry: Consul would refuse a second one.
    fn problems_onto(&self, base: Option<&Value>) -> Vec<DraftProblem> {
        let Self::Save {
            original, draft, ..
        } = self
        else {
            return Vec::new();
        };
        if !duplicates_other_rule(base, original.as_ref(), draft) {
            return Vec::new();
        }
        vec![DraftProblem {
            field: Field::Source,
            message: format!(
                "{} already has a rule for {}: edit that rule instead",
                draft.destination.trim(),
                draft.key_within(original.as_ref()).label()
            ),
        }]
    }

    /// "Saved web (peer dc2) → api." or "Deleted …": the intentions list says it after the
    /// editor closes.
    fn saved(&self) -> String {
        let verb = match self {
            Self::Remove { .. } => "Deleted",
            Self::Save { .. } => "Saved",
        };
        format!("{verb} {}.", self.rule_label())
    }

    /// Validation texts Consul sends about an intentions entry, placed by field.
    fn place(&self, message: &str, sent: &Value) -> Option<DraftProblem> {
        let known = ["Sources[", "Name", "At least one source", "Meta", "JWT"];
        if !known.iter().any(|k| message.starts_with(k)) {
            return None;
        }
        let located = locate(message, sent, &self.rule());
        Some(DraftProblem {
            field: located.field,
            message: located.message,
        })
    }

    fn clashes(&self, seen: Option<&Value>, latest: Option<&Value>) -> Vec<Clash> {
        let Self::Save {
            original: Some(original),
            initial,
            draft,
        } = self
        else {
            return Vec::new();
        };
        let find = |entry: Option<&Value>| entry.and_then(|e| find_source(e, original)).cloned();
        let (Some(seen), Some(latest)) = (find(seen), find(latest)) else {
            return Vec::new();
        };
        changed_fields(initial, draft)
            .into_iter()
            .filter_map(|field| {
                let theirs = field.of_source(&latest);
                let mine = field.of_draft(draft);
                (field.of_source(&seen) != theirs && theirs != mine).then(|| Clash {
                    field: field.consul_name().to_string(),
                    theirs,
                    mine,
                })
            })
            .collect()
    }

    fn yield_to_theirs(&self, fields: &[String]) -> Self {
        match self {
            Self::Save {
                original,
                initial,
                draft,
            } => {
                let mut draft = draft.clone();
                for field in fields.iter().filter_map(|f| FormField::parse(f)) {
                    field.set(&mut draft, initial);
                }
                Self::Save {
                    original: original.clone(),
                    initial: initial.clone(),
                    draft,
                }
            }
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry_edit::{Proposal, Stage, Write};
    use crate::model::intentions::edit::{Field, Verdict};
    use serde_json::json;

    fn entry(index: u64, action: &str, description: &str) -> Value {
        json!({"Kind": KIND, "Name": "api", "ModifyIndex": index, "Meta": {"team": "a"},
        "Sources": [
            {"Name": "web", "Peer": "dc2", "Action": action, "Description": description,
             "Precedence": 9, "Extra": 1},
            {"Name": "db", "Action": "deny"}
        ]})
    }

    fn draft(action: Verdict, description: &str) -> SourceDraft {
        SourceDraft {
            destination: "api".into(),
            peer: "dc2".into(),
            name: "web".into(),
            action,
            description: description.into(),
        }
    }

    fn edit_description(to: &str) -> IntentionChange {
        IntentionChange::Save {
            original: Some(SourceKey::peered("dc2", "web")),
            initial: draft(Verdict::Allow, "frontend"),
            draft: draft(Verdict::Allow, to),
        }
    }

    #[test]
    fn reapply_keeps_their_action_when_only_my_description_changed() {
        let seen = entry(5, "allow", "frontend");
        let Some(proposal) = Stage::review(edit_description("calls api"), Some(seen))
            .proposal()
            .cloned()
        else {
            panic!("reviewing")
        };
        // Meanwhile someone denies the same rule.
        let latest = entry(6, "deny", "frontend");
        let conflict = Stage::lost_race(proposal, Some(latest));
        assert!(conflict.clashes().is_empty(), "different fields: no clash");
        let Some(again) = conflict.reapply(&[]).proposal().cloned() else {
            panic!("reviewing")
        };
        let rule = &again.after().unwrap()["Sources"][0];
        assert_eq!(rule["Action"], json!("deny"), "their action kept");
        assert_eq!(
            rule["Description"],
            json!("calls api"),
            "my description applied"
        );
        assert_eq!(rule["Extra"], json!(1));
        assert!(rule.get("Precedence").is_none());
        assert_eq!(again.cas(), 6);
    }

    #[test]
    fn the_same_field_changed_by_both_is_a_clash_and_the_operator_picks() {
        let Some(proposal) = Stage::review(
            edit_description("mine"),
            Some(entry(5, "allow", "frontend")),
        )
        .proposal()
        .cloned() else {
            panic!("reviewing")
        };
        let conflict = Stage::lost_race(proposal, Some(entry(6, "allow", "theirs")));
        assert_eq!(
            conflict.clashes(),
            vec![Clash {
                field: "Description".into(),
                theirs: "theirs".into(),
                mine: "mine".into()
            }]
        );
        let theirs_win = conflict.clone().reapply(&["Description".into()]);
        let Some(p) = theirs_win.proposal().cloned() else {
            panic!("reviewing")
        };
        assert!(p.is_noop(), "nothing of mine left to write");
        let Some(p) = conflict.reapply(&[]).proposal().cloned() else {
            panic!("reviewing")
        };
        assert_eq!(
            p.after().unwrap()["Sources"][0]["Description"],
            json!("mine")
        );
    }

    #[test]
    fn a_new_rule_is_written_whole_and_removing_the_last_rule_deletes() {
        let new = IntentionChange::Save {
            original: None,
            initial: draft(Verdict::Deny, ""),
            draft: draft(Verdict::Deny, ""),
        };
        let p = Proposal::new(new.clone(), None);
        assert_eq!(
            p.after(),
            Some(&json!({"Kind": KIND, "Name": "api",
                          "Sources": [{"Name": "web", "Peer": "dc2", "Action": "deny"}]}))
        );
        assert_eq!(new.describe(), "add the rule web (peer dc2) → api");
        let single = json!({"Kind": KIND, "Name": "api", "ModifyIndex": 3,
                            "Sources": [{"Name": "web", "Peer": "dc2", "Action": "allow"}]});
        let remove = IntentionChange::Remove {
            destination: "api".into(),
            key: SourceKey::peered("dc2", "web"),
        };
        let p = Proposal::new(remove.clone(), Some(single));
        assert_eq!((p.write.clone(), p.cas()), (Write::Delete, 3));
        let p = Proposal::new(remove, Some(entry(4, "allow", "")));
        assert!(matches!(p.write, Write::Upsert(_)));
    }

    #[test]
    fn consul_messages_are_placed_at_their_field() {
        let change = edit_description("x");
        let sent = change.apply(Some(&entry(5, "allow", "frontend"))).unwrap();
        let placed = change.place(
            "Name: wildcard character '*' cannot be used with partial values",
            &sent,
        );
        assert_eq!(placed.map(|p| p.field), Some(Field::Destination));
        assert_eq!(change.place("Permission denied", &sent), None);
    }

    #[test]
    fn a_new_rule_for_a_source_the_entry_has_is_refused_and_saves_are_named_by_rule() {
        let new_web = IntentionChange::Save {
            original: None,
            initial: draft(Verdict::Allow, ""),
            draft: draft(Verdict::Deny, ""),
        };
        let found = new_web.problems_onto(Some(&entry(5, "allow", "frontend")));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, Field::Source);
        assert!(found[0].message.starts_with("api already has a rule for"));
        // Editing that very rule is no duplicate; nor is a new rule onto no entry.
        assert!(edit_description("x")
            .problems_onto(Some(&entry(5, "allow", "frontend")))
            .is_empty());
        assert!(new_web.problems_onto(None).is_empty());
        assert_eq!(new_web.saved(), "Saved web (peer dc2) → api.");
        let remove = IntentionChange::Remove {
            destination: "api".into(),
            key: SourceKey::peered("dc2", "web"),
        };
        assert_eq!(remove.saved(), "Deleted web (peer dc2) → api.");
        assert!(remove.problems().is_empty());
    }
}
