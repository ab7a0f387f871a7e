//! Rows of the intentions view, derived from `service-intentions` config entries.
//! Entries stay `serde_json::Value`s elsewhere so nothing unknown is dropped; this only reads.
use super::intention_edit::SourceKey;
use serde_json::Value;

/// What a source rule does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleAction {
    Allow,
    Deny,
    /// Layer-7 rules decide per request; `usize` is the number of permissions.
    L7(usize),
}

impl RuleAction {
    pub fn label(&self) -> String {
        match self {
            Self::Allow => "allow".into(),
            Self::Deny => "deny".into(),
            Self::L7(n) => format!("L7 ({n} permission{})", if *n == 1 { "" } else { "s" }),
        }
    }
}

/// One source of one entry, as a row.
#[derive(Clone, Debug, PartialEq)]
pub struct IntentionRow {
    pub destination: String,
    pub source: String,
    /// Set when the source lives in a peered cluster.
    pub source_peer: Option<String>,
    pub action: RuleAction,
    pub description: String,
    pub precedence: Option<i64>,
    /// The rule's full identity (with Enterprise namespace, partition, sameness group).
    pub key: SourceKey,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Flattens entries into rows, one per source, in Consul's order.
pub fn intention_rows(entries: &[Value]) -> Vec<IntentionRow> {
    let mut rows = Vec::new();
    for entry in entries {
        let destination = text(entry, "Name");
        let sources = entry
            .get("Sources")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for source in sources {
            let permissions = source
                .get("Permissions")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let action = match text(source, "Action").as_str() {
                _ if permissions > 0 => RuleAction::L7(permissions),
                "allow" => RuleAction::Allow,
                _ => RuleAction::Deny,
            };
            let peer = text(source, "Peer");
            rows.push(IntentionRow {
                destination: destination.clone(),
                source: text(source, "Name"),
                source_peer: (!peer.is_empty()).then_some(peer),
                action,
                description: text(source, "Description"),
                precedence: source.get("Precedence").and_then(Value::as_i64),
                key: SourceKey::of(source),
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_row_per_source_with_peer_and_l7() {
        let entries = vec![json!({
            "Kind": "service-intentions", "Name": "api",
            "Sources": [
                {"Name": "web", "Peer": "dc2", "Action": "allow", "Precedence": 9, "Description": "frontend"},
                {"Name": "*", "Action": "deny", "Precedence": 8},
                {"Name": "admin", "Permissions": [{"Action": "allow"}, {"Action": "deny"}]}
            ]
        })];
        let rows = intention_rows(&entries);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].source_peer.as_deref(), Some("dc2"));
        assert_eq!(rows[0].action, RuleAction::Allow);
        assert_eq!(rows[0].precedence, Some(9));
        assert_eq!(rows[1].source_peer, None);
        assert_eq!(rows[1].action, RuleAction::Deny);
        assert_eq!(rows[2].action.label(), "L7 (2 permissions)");
    }

    #[test]
    fn tolerates_entries_without_sources() {
        assert!(intention_rows(&[json!({"Name": "x"})]).is_empty());
        assert!(intention_rows(&[json!(null)]).is_empty());
    }
}
