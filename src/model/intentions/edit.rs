//! Read-modify-write of one source rule inside a `service-intentions` entry.
//! The entry stays a JSON value: only the fields the operator edited change, so `JWT`, `Meta`,
//! `Permissions`, other sources and fields added by later Consul versions survive a save.
use serde_json::{json, Map, Value};

pub use crate::model::consul::config_entry::text;
use crate::model::consul::config_entry::{non_default, without_computed};

pub const KIND: &str = "service-intentions";

/// Consul's limit on a source's description (`metaValueMaxLength`).
pub const DESCRIPTION_MAX: usize = 512;

/// Source fields Consul computes or only accepts from the legacy intentions API: sending them
/// back either fails validation (`LegacyMeta must be omitted`) or is ignored.
const READ_ONLY_SOURCE: &[&str] = &[
    "Precedence",
    "LegacyID",
    "LegacyMeta",
    "LegacyCreateTime",
    "LegacyUpdateTime",
];

/// Who a source rule is about. Consul refuses two sources with the same identity in one entry,
/// so this finds "the same rule" across versions of an entry regardless of its position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceKey {
    pub name: String,
    pub peer: String,
    pub namespace: String,
    pub partition: String,
    pub sameness_group: String,
}

impl SourceKey {
    #[cfg(test)]
    pub fn local(name: &str) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    pub fn peered(peer: &str, name: &str) -> Self {
        Self {
            name: name.into(),
            peer: peer.into(),
            ..Self::default()
        }
    }

    pub fn of(source: &Value) -> Self {
        Self {
            name: text(source, "Name"),
            peer: text(source, "Peer"),
            namespace: non_default(text(source, "Namespace")),
            partition: non_default(text(source, "Partition")),
            sameness_group: text(source, "SamenessGroup"),
        }
    }

    /// How the operator would name it: `web (peer dc2)`.
    pub fn label(&self) -> String {
        let mut out = self.name.clone();
        if !self.namespace.is_empty() {
            out = format!("{}/{out}", self.namespace);
        }
        if !self.peer.is_empty() {
            out.push_str(&format!(" (peer {})", self.peer));
        } else if !self.sameness_group.is_empty() {
            out.push_str(&format!(" (sameness group {})", self.sameness_group));
        } else if !self.partition.is_empty() {
            out.push_str(&format!(" (partition {})", self.partition));
        }
        out
    }
}

/// allow or deny: what the form can set. L7 rules keep their own permissions untouched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    Deny,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Deny => "deny",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "allow" => Some(Self::Allow),
            "deny" => Some(Self::Deny),
            _ => None,
        }
    }
}

/// What the operator typed in the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceDraft {
    pub destination: String,
    /// Empty for a service of this cluster.
    pub peer: String,
    pub name: String,
    pub action: Verdict,
    pub description: String,
}

impl SourceDraft {
    /// The identity the rule will have once saved: the form sets name and peer; namespace,
    /// partition and sameness group (Enterprise) stay those of the rule being edited.
    pub fn key_within(&self, original: Option<&SourceKey>) -> SourceKey {
        SourceKey {
            name: self.name.trim().into(),
            peer: self.peer.trim().into(),
            ..original.cloned().unwrap_or_default()
        }
    }
}

/// The sources of an entry (empty when absent or malformed).
pub fn sources(entry: &Value) -> &[Value] {
    entry
        .get("Sources")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The source with this identity, if the entry has it.
pub fn find_source<'a>(entry: &'a Value, key: &SourceKey) -> Option<&'a Value> {
    sources(entry).iter().find(|s| SourceKey::of(s) == *key)
}

/// The entry as it should be sent: without fields Consul computes or rejects.
pub fn strip_read_only(entry: &Value) -> Value {
    let mut out = without_computed(entry);
    if let Some(obj) = out.as_object_mut() {
        if let Some(list) = obj.get_mut("Sources").and_then(Value::as_array_mut) {
            for source in list {
                if let Some(src) = source.as_object_mut() {
                    for key in READ_ONLY_SOURCE {
                        src.remove(*key);
                    }
                }
            }
        }
    }
    out
}

/// Applies the draft to `base` (the entry as last read, `None` when the destination has none
/// yet). `original` is the rule being edited; `None` adds a rule. Returns the entry to write,
/// already stripped of read-only fields.
#[cfg(test)]
pub fn apply_draft(
    base: Option<&Value>,
    original: Option<&SourceKey>,
    draft: &SourceDraft,
) -> Value {
    apply_fields(base, original, draft, &FormField::ALL)
}

/// Like [`apply_draft`], but writes only `fields` onto the rule being edited, so a value another
/// writer set meanwhile in a field the operator did not touch survives. A rule that is not in
/// `base` (new, or deleted meanwhile) is added whole.
pub fn apply_fields(
    base: Option<&Value>,
    original: Option<&SourceKey>,
    draft: &SourceDraft,
    fields: &[FormField],
) -> Value {
    let mut entry = match base {
        Some(value) if value.is_object() => strip_read_only(value),
        _ => json!({ "Kind": KIND, "Name": draft.destination.trim() }),
    };
    let Some(obj) = entry.as_object_mut() else {
        return entry;
    };
    let list = obj
        .entry("Sources")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    let Some(list) = list.as_array_mut() else {
        return entry;
    };
    let position = original.and_then(|key| list.iter().position(|s| SourceKey::of(s) == *key));
    match position {
        Some(i) => {
            if let Some(source) = list[i].as_object_mut() {
                update_source(source, draft, fields);
            }
        }
        None => {
            let mut source = Map::new();
            update_source(&mut source, draft, &FormField::ALL);
            list.push(Value::Object(source));
        }
    }
    entry
}

/// A field of the form, as Consul names it in a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormField {
    Name,
    Peer,
    Action,
    Description,
}

impl FormField {
    pub const ALL: [FormField; 4] = [Self::Name, Self::Peer, Self::Action, Self::Description];

    pub fn consul_name(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Peer => "Peer",
            Self::Action => "Action",
            Self::Description => "Description",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.consul_name() == name)
    }

    /// The field's value in the form.
    pub fn of_draft(self, draft: &SourceDraft) -> String {
        match self {
            Self::Name => draft.name.trim().to_string(),
            Self::Peer => draft.peer.trim().to_string(),
            Self::Action => draft.action.as_str().to_string(),
            Self::Description => draft.description.clone(),
        }
    }

    /// The field's value in a stored source (empty when absent).
    pub fn of_source(self, source: &Value) -> String {
        text(source, self.consul_name())
    }

    /// Sets the field in the form.
    pub fn set(self, draft: &mut SourceDraft, from: &SourceDraft) {
        match self {
            Self::Name => draft.name = from.name.clone(),
            Self::Peer => draft.peer = from.peer.clone(),
            Self::Action => draft.action = from.action,
            Self::Description => draft.description = from.description.clone(),
        }
    }
}

/// The fields the operator changed since the form opened.
pub fn changed_fields(initial: &SourceDraft, draft: &SourceDraft) -> Vec<FormField> {
    FormField::ALL
        .into_iter()
        .filter(|f| f.of_draft(initial) != f.of_draft(draft))
        .collect()
}

/// Sets only `fields` of what the form controls. An L7 rule (with `Permissions`) must not carry
/// an `Action`, so its action is left as it is.
fn update_source(source: &mut Map<String, Value>, draft: &SourceDraft, fields: &[FormField]) {
    for field in fields {
        match field {
            FormField::Name => {
                source.insert("Name".into(), Value::String(draft.name.trim().into()));
            }
            FormField::Peer => {
                let peer = draft.peer.trim();
                if peer.is_empty() {
                    source.remove("Peer");
                } else {
                    source.insert("Peer".into(), Value::String(peer.into()));
                }
            }
            FormField::Action => {
                let has_permissions = source
                    .get("Permissions")
                    .and_then(Value::as_array)
                    .is_some_and(|p| !p.is_empty());
                if !has_permissions {
                    source.insert("Action".into(), Value::String(draft.action.as_str().into()));
                }
            }
            FormField::Description => {
                if draft.description.is_empty() {
                    source.remove("Description");
                } else {
                    source.insert(
                        "Description".into(),
                        Value::String(draft.description.clone()),
                    );
                }
            }
        }
    }
}

/// The entry without the rule `key`, stripped for writing; `None` when that was the last rule
/// (Consul refuses an entry without sources, so the whole entry must be deleted instead).
pub fn remove_source(entry: &Value, key: &SourceKey) -> Option<Value> {
    let mut out = strip_read_only(entry);
    let list = out.get_mut("Sources").and_then(Value::as_array_mut)?;
    list.retain(|s| SourceKey::of(s) != *key);
    if list.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// A problem found before sending, attached to a form field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftProblem {
    pub field: Field,
    pub message: String,
}

/// The form's fields, for placing messages next to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Destination,
    Peer,
    Source,
    Action,
    Description,
    Permissions,
    /// Not about one field (or about a rule other than the one being edited).
    General,
}

/// Checks Consul would make anyway, done first so the operator sees them without a round trip.
/// Texts are Consul's where Consul has one.
pub fn check_draft(draft: &SourceDraft) -> Vec<DraftProblem> {
    let mut problems = Vec::new();
    let mut add = |field, message: &str| {
        problems.push(DraftProblem {
            field,
            message: message.into(),
        })
    };
    let destination = draft.destination.trim();
    if destination.is_empty() {
        add(Field::Destination, "Name is required");
    } else if destination != "*" && destination.contains('*') {
        add(
            Field::Destination,
            "Name: wildcard character '*' cannot be used with partial values",
        );
    }
    if draft.peer.contains('*') {
        add(Field::Peer, "cannot use wildcard '*' in peer");
    }
    // Partial wildcards in the source name are left to Consul, whose message is placed back
    // on this field by `intention_errors::locate`.
    if draft.name.trim().is_empty() {
        add(Field::Source, "Name is required");
    }
    if draft.description.len() > DESCRIPTION_MAX {
        add(
            Field::Description,
            &format!("Description exceeds maximum length {DESCRIPTION_MAX}"),
        );
    }
    problems
}

/// Another rule of `base` (not the one being edited) already has the draft's identity.
pub fn duplicates_other_rule(
    base: Option<&Value>,
    original: Option<&SourceKey>,
    draft: &SourceDraft,
) -> bool {
    let key = draft.key_within(original);
    if original == Some(&key) {
        return false;
    }
    base.is_some_and(|entry| find_source(entry, &key).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Value {
        json!({
            "Kind": "service-intentions",
            "Name": "api",
            "CreateIndex": 10,
            "ModifyIndex": 12,
            "Meta": {"owner": "team-a"},
            "JWT": {"Providers": [{"Name": "okta", "VerifyClaims": [{"Path": ["aud"], "Value": "api"}]}]},
            "FutureField": {"Nested": [1, 2, 3]},
            "Sources": [
                {"Name": "web", "Peer": "dc2", "Action": "allow", "Precedence": 9, "Type": "consul",
                 "Description": "frontend", "FutureSourceField": true},
                {"Name": "admin", "Precedence": 9, "Type": "consul",
                 "Permissions": [{"Action": "allow", "HTTP": {"PathPrefix": "/admin", "Methods": ["GET"]}}]},
                {"Name": "*", "Action": "deny", "Precedence": 8, "Type": "consul",
                 "LegacyID": "abc", "LegacyMeta": {"a": "b"}, "LegacyCreateTime": "2020-01-01T00:00:00Z",
                 "LegacyUpdateTime": "2020-01-01T00:00:00Z"}
            ]
        })
    }

    fn draft(peer: &str, name: &str, action: Verdict, description: &str) -> SourceDraft {
        SourceDraft {
            destination: "api".into(),
            peer: peer.into(),
            name: name.into(),
            action,
            description: description.into(),
        }
    }

    #[test]
    fn editing_changes_only_the_edited_source() {
        let base = stored();
        let key = SourceKey::peered("dc2", "web");
        let out = apply_draft(
            Some(&base),
            Some(&key),
            &draft("dc2", "web", Verdict::Deny, "frontend"),
        );
        let mut expected = strip_read_only(&base);
        expected["Sources"][0]["Action"] = json!("deny");
        assert_eq!(out, expected);
        // Unknown and unshown fields survive.
        assert_eq!(out["JWT"], base["JWT"]);
        assert_eq!(out["Meta"], base["Meta"]);
        assert_eq!(out["FutureField"], base["FutureField"]);
        assert_eq!(out["Sources"][0]["FutureSourceField"], json!(true));
        assert_eq!(out["Sources"][0]["Type"], json!("consul"));
        assert_eq!(
            out["Sources"][1]["Permissions"],
            base["Sources"][1]["Permissions"]
        );
    }

    #[test]
    fn read_only_and_legacy_fields_are_stripped() {
        let out = strip_read_only(&stored());
        assert!(out.get("CreateIndex").is_none());
        assert!(out.get("ModifyIndex").is_none());
        for source in sources(&out) {
            for key in READ_ONLY_SOURCE {
                assert!(source.get(*key).is_none(), "{key} kept");
            }
        }
        // Everything else stays.
        assert_eq!(out["Sources"][2]["Action"], json!("deny"));
        assert_eq!(out["Kind"], json!("service-intentions"));
    }

    #[test]
    fn matching_is_by_identity_not_position() {
        let mut base = stored();
        // A local `web` next to the peer's `web`: editing the peer's must not touch the local one.
        base["Sources"]
            .as_array_mut()
            .unwrap()
            .insert(0, json!({"Name": "web", "Action": "allow"}));
        let key = SourceKey::peered("dc2", "web");
        let out = apply_draft(
            Some(&base),
            Some(&key),
            &draft("dc2", "web", Verdict::Deny, ""),
        );
        assert_eq!(out["Sources"][0], json!({"Name": "web", "Action": "allow"}));
        assert_eq!(out["Sources"][1]["Action"], json!("deny"));
        assert!(out["Sources"][1].get("Description").is_none());
    }

    #[test]
    fn renaming_a_rule_keeps_its_other_fields() {
        let base = stored();
        let key = SourceKey::peered("dc2", "web");
        let out = apply_draft(
            Some(&base),
            Some(&key),
            &draft("dc3", "web-v2", Verdict::Allow, "frontend"),
        );
        assert_eq!(out["Sources"][0]["Peer"], json!("dc3"));
        assert_eq!(out["Sources"][0]["Name"], json!("web-v2"));
        assert_eq!(out["Sources"][0]["FutureSourceField"], json!(true));
        assert_eq!(sources(&out).len(), 3);
        // To a local source: the Peer key goes away rather than being sent empty.
        let local = apply_draft(
            Some(&base),
            Some(&key),
            &draft("", "web", Verdict::Allow, ""),
        );
        assert!(local["Sources"][0].get("Peer").is_none());
    }

    #[test]
    fn l7_rules_keep_permissions_and_get_no_action() {
        let base = stored();
        let key = SourceKey::local("admin");
        let out = apply_draft(
            Some(&base),
            Some(&key),
            &draft("", "admin", Verdict::Allow, "ops"),
        );
        assert!(out["Sources"][1].get("Action").is_none());
        assert_eq!(
            out["Sources"][1]["Permissions"],
            base["Sources"][1]["Permissions"]
        );
        assert_eq!(out["Sources"][1]["Description"], json!("ops"));
    }

    #[test]
    fn adding_appends_and_creating_builds_a_new_entry() {
        let base = stored();
        let out = apply_draft(
            Some(&base),
            None,
            &draft("dc2", "billing", Verdict::Allow, "x"),
        );
        assert_eq!(sources(&out).len(), 4);
        assert_eq!(
            out["Sources"][3],
            json!({"Name": "billing", "Peer": "dc2", "Action": "allow", "Description": "x"})
        );
        let fresh = apply_draft(None, None, &draft("dc2", "*", Verdict::Deny, ""));
        assert_eq!(
            fresh,
            json!({"Kind": "service-intentions", "Name": "api",
                   "Sources": [{"Name": "*", "Peer": "dc2", "Action": "deny"}]})
        );
        // An edit whose rule vanished meanwhile (another writer deleted it) re-adds it.
        let gone = SourceKey::peered("dc9", "gone");
        let readded = apply_draft(
            Some(&base),
            Some(&gone),
            &draft("dc9", "gone", Verdict::Allow, ""),
        );
        assert_eq!(sources(&readded).len(), 4);
    }

    #[test]
    fn removing_the_last_source_means_deleting_the_entry() {
        let base = stored();
        let one = remove_source(&base, &SourceKey::peered("dc2", "web")).unwrap();
        assert_eq!(sources(&one).len(), 2);
        assert_eq!(one["JWT"], base["JWT"]);
        let single = json!({"Kind": KIND, "Name": "api", "Sources": [{"Name": "web", "Peer": "dc2", "Action": "allow"}]});
        assert_eq!(
            remove_source(&single, &SourceKey::peered("dc2", "web")),
            None
        );
        // Removing an unknown rule changes nothing but the stripping.
        let same = remove_source(&base, &SourceKey::local("nope")).unwrap();
        assert_eq!(same, strip_read_only(&base));
    }

    #[test]
    fn draft_checks_use_consul_texts() {
        let mut d = draft("*", "", Verdict::Allow, &"x".repeat(513));
        d.destination = " ".into();
        let problems = check_draft(&d);
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::Destination,
                Field::Peer,
                Field::Source,
                Field::Description
            ]
        );
        assert_eq!(problems[1].message, "cannot use wildcard '*' in peer");
        // A wildcard service from a peer is fine.
        assert!(check_draft(&draft("dc2", "*", Verdict::Deny, &"x".repeat(512))).is_empty());
        assert!(check_draft(&draft("dc2", "we*b", Verdict::Deny, "")).is_empty());
    }

    #[test]
    fn identity_treats_default_namespace_as_absent() {
        let a =
            SourceKey::of(&json!({"Name": "web", "Namespace": "default", "Partition": "default"}));
        assert_eq!(a, SourceKey::local("web"));
        assert_eq!(SourceKey::peered("dc2", "web").label(), "web (peer dc2)");
    }

    #[test]
    fn edited_identity_keeps_enterprise_scope() {
        let original = SourceKey {
            namespace: "team".into(),
            ..SourceKey::local("web")
        };
        let d = draft("dc2", " web ", Verdict::Allow, "");
        let key = d.key_within(Some(&original));
        assert_eq!(
            (key.name.as_str(), key.peer.as_str(), key.namespace.as_str()),
            ("web", "dc2", "team")
        );
        assert_eq!(d.key_within(None), SourceKey::peered("dc2", "web"));
    }

    #[test]
    fn duplicate_detection_ignores_the_rule_itself() {
        let base = stored();
        let own = SourceKey::peered("dc2", "web");
        let d = draft("dc2", "web", Verdict::Allow, "");
        assert!(!duplicates_other_rule(Some(&base), Some(&own), &d));
        assert!(duplicates_other_rule(Some(&base), None, &d));
        assert!(!duplicates_other_rule(None, None, &d));
    }
}
