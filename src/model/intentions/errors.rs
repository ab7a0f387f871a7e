//! Places Consul's validation messages next to the form field they concern.
//! Consul sorts sources by precedence before validating, so `Sources[i]` indexes the sorted
//! list: the rule is found by replaying that sort on the entry that was sent.
use crate::model::intentions::edit::{sources, Field, SourceKey};
use crate::model::intentions::precedence::consul_order;
use serde_json::Value;

/// A Consul validation message, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedError {
    /// The rule the message is about (`None`: about the entry itself).
    pub source: Option<SourceKey>,
    pub field: Field,
    /// Consul's text without the `Sources[i].` prefix, which means nothing to the operator.
    pub message: String,
}

/// Locates `message` (Consul's text, gRPC prefix already removed) in the entry that was sent.
/// `editing` is the rule in the form: messages about another rule become general errors.
pub fn locate(message: &str, sent: &Value, editing: &SourceKey) -> LocatedError {
    let message = message.trim();
    let Some((index, rest)) = parse_source_index(message) else {
        let field = if message.starts_with("Name") {
            Field::Destination
        } else {
            Field::General
        };
        return LocatedError {
            source: None,
            field,
            message: message.to_string(),
        };
    };
    let list = sources(sent);
    let source = consul_order(sent)
        .get(index)
        .and_then(|&i| list.get(i))
        .map(SourceKey::of);
    let rest = rest.strip_prefix('.').unwrap_or(rest).trim_start();
    let field = match &source {
        Some(key) if key == editing => field_of(rest),
        _ => Field::General,
    };
    let message = match (&source, field) {
        (Some(key), Field::General) => format!("Rule {}: {rest}", key.label()),
        _ => rest.to_string(),
    };
    LocatedError {
        source,
        field,
        message,
    }
}

/// `Sources[3].Peer: …` → (3, `.Peer: …`).
fn parse_source_index(message: &str) -> Option<(usize, &str)> {
    let rest = message.strip_prefix("Sources[")?;
    let (number, rest) = rest.split_once(']')?;
    Some((number.parse().ok()?, rest))
}

/// The field named at the start of the text after `Sources[i].`.
fn field_of(rest: &str) -> Field {
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    match word.as_str() {
        "Name" | "Namespace" => Field::Source,
        "Peer" | "SamenessGroup" | "Partition" => Field::Peer,
        "Action" => Field::Action,
        "Description" => Field::Description,
        "Permissions" => Field::Permissions,
        // `Sources[i] defines peer("p") "web" more than once`: the rule as a whole collides.
        _ if rest.starts_with("defines") => Field::Source,
        _ => Field::General,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent() -> Value {
        // As sent: the wildcard first. Consul validates [zzz, web@p, *].
        json!({"Kind": "service-intentions", "Name": "api", "Sources": [
            {"Name": "*", "Action": "deny"},
            {"Name": "zzz", "Action": "allow"},
            {"Name": "web", "Peer": "p", "Action": "maybe", "Description": "d"}
        ]})
    }

    #[test]
    fn maps_by_sorted_position_to_the_edited_rule() {
        let editing = SourceKey::peered("p", "web");
        let e = locate(
            "Sources[1].Action must be set to 'allow' or 'deny'",
            &sent(),
            &editing,
        );
        assert_eq!(e.source, Some(editing.clone()));
        assert_eq!(e.field, Field::Action);
        assert_eq!(e.message, "Action must be set to 'allow' or 'deny'");
        let e = locate(
            "Sources[1].Peer: cannot use wildcard '*' in peer",
            &sent(),
            &editing,
        );
        assert_eq!(
            (e.field, e.message.as_str()),
            (Field::Peer, "Peer: cannot use wildcard '*' in peer")
        );
        let e = locate(
            "Sources[1].Description exceeds maximum length 512",
            &sent(),
            &editing,
        );
        assert_eq!(e.field, Field::Description);
        let e = locate("Sources[1].Name is required", &sent(), &editing);
        assert_eq!(e.field, Field::Source);
        let e = locate(
            "Sources[1] defines peer(\"p\") \"web\" more than once",
            &sent(),
            &editing,
        );
        assert_eq!(e.field, Field::Source);
        let e = locate(
            "Sources[1].Permissions[0].HTTP is required",
            &sent(),
            &editing,
        );
        assert_eq!(e.field, Field::Permissions);
    }

    #[test]
    fn messages_about_other_rules_name_that_rule() {
        let editing = SourceKey::peered("p", "web");
        let e = locate(
            "Sources[2].Action must be set to 'allow' or 'deny'",
            &sent(),
            &editing,
        );
        assert_eq!(e.source, Some(SourceKey::local("*")));
        assert_eq!(e.field, Field::General);
        assert_eq!(e.message, "Rule *: Action must be set to 'allow' or 'deny'");
        let e = locate("Sources[0].Name is required", &sent(), &editing);
        assert_eq!(e.source, Some(SourceKey::local("zzz")));
    }

    #[test]
    fn entry_level_messages() {
        let editing = SourceKey::peered("p", "web");
        let e = locate("Name is required", &sent(), &editing);
        assert_eq!((e.field, e.source), (Field::Destination, None));
        let e = locate(
            "Name: wildcard character '*' cannot be used with partial values",
            &sent(),
            &editing,
        );
        assert_eq!(e.field, Field::Destination);
        let e = locate("At least one source is required", &sent(), &editing);
        assert_eq!(e.field, Field::General);
        // An index past the list (the entry changed shape) stays readable.
        let e = locate("Sources[9].Name is required", &sent(), &editing);
        assert_eq!((e.field, e.source), (Field::General, None));
    }
}
