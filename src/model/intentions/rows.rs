//! Rows of the intentions view, derived from `service-intentions` config entries.
//! Entries stay `serde_json::Value`s elsewhere so nothing unknown is dropped; this only reads.
use crate::model::intentions::edit::SourceKey;
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

/// The intentions list's filter values meaning "any" and "sources of this cluster".
pub const ANY: &str = "";
pub const LOCAL: &str = "(local)";

/// The filter value (and CSS class) of an action.
pub fn action_key(action: &RuleAction) -> &'static str {
    match action {
        RuleAction::Allow => "allow",
        RuleAction::Deny => "deny",
        RuleAction::L7(_) => "l7",
    }
}

/// Whether a row passes the list's search and filters.
pub fn row_matches(
    row: &IntentionRow,
    search: &str,
    peer: &str,
    destination: &str,
    action: &str,
) -> bool {
    let search = search.trim().to_lowercase();
    let text_hit = search.is_empty()
        || [
            row.source.as_str(),
            row.destination.as_str(),
            row.description.as_str(),
            row.source_peer.as_deref().unwrap_or_default(),
        ]
        .iter()
        .any(|field| field.to_lowercase().contains(&search));
    let peer_hit = match peer {
        ANY => true,
        LOCAL => row.source_peer.is_none(),
        p => row.source_peer.as_deref() == Some(p),
    };
    text_hit
        && peer_hit
        && (destination == ANY || row.destination == destination)
        && (action == ANY || action_key(&row.action) == action)
}

/// The rows of `entries` whose source is a service of `peer`.
pub fn rows_from_peer(entries: &[Value], peer: &str) -> Vec<IntentionRow> {
    intention_rows(entries)
        .into_iter()
        .filter(|r| r.source_peer.as_deref() == Some(peer))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        source: &str,
        peer: Option<&str>,
        destination: &str,
        action: RuleAction,
    ) -> IntentionRow {
        IntentionRow {
            destination: destination.into(),
            source: source.into(),
            source_peer: peer.map(str::to_string),
            action,
            description: "the frontend".into(),
            precedence: Some(9),
            key: SourceKey::peered(peer.unwrap_or_default(), source),
        }
    }

    #[test]
    fn filters_combine() {
        let r = row("web", Some("dc2"), "api", RuleAction::Allow);
        assert!(row_matches(&r, "", ANY, ANY, ANY));
        assert!(row_matches(&r, "FRONT", "dc2", "api", "allow"));
        assert!(row_matches(&r, "dc2", ANY, ANY, ANY));
        assert!(!row_matches(&r, "", LOCAL, ANY, ANY));
        assert!(!row_matches(&r, "", ANY, "db", ANY));
        assert!(!row_matches(&r, "", ANY, ANY, "l7"));
        let local = row("web", None, "api", RuleAction::L7(2));
        assert!(row_matches(&local, "", LOCAL, ANY, "l7"));
        assert!(!row_matches(&local, "", "dc2", ANY, ANY));
    }

    #[test]
    fn peer_view_lists_only_that_peers_sources() {
        let entries = vec![serde_json::json!({"Name": "api", "Sources": [
            {"Name": "web", "Peer": "dc2", "Action": "allow"},
            {"Name": "web", "Action": "deny"},
            {"Name": "web", "Peer": "dc3", "Action": "deny"}
        ]})];
        let rows = rows_from_peer(&entries, "dc2");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].key, SourceKey::peered("dc2", "web"));
    }

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
