//! Consul's intention precedence and the "can it talk?" decision, replicated from
//! `agent/structs/config_entry_intentions.go` (precedence, source sort) and
//! `connect.AuthorizeIntentionTarget` (a source matches only with the same peer).
use crate::model::intentions::edit::{sources, text, SourceKey};
use serde_json::Value;

const WILDCARD: &str = "*";

/// Exact parts of a namespace/name pair: `*/*` → 0, `ns/*` → 1, `ns/name` → 2.
fn count_exact(namespace: &str, name: &str) -> i64 {
    if namespace == WILDCARD {
        0
    } else if name == WILDCARD {
        1
    } else {
        2
    }
}

/// `computeIntentionPrecedence`: 9 for exact → exact down to 3 for `*/*` → `*/*`.
/// The source's peer plays no part.
pub fn precedence(entry: &Value, source: &Value) -> i64 {
    let max = match count_exact(&text(entry, "Namespace"), &text(entry, "Name")) {
        2 => 9,
        1 => 6,
        _ => 3,
    };
    max - (2 - count_exact(&text(source, "Namespace"), &text(source, "Name")))
}

/// Positions of the entry's sources in the order Consul stores (and validates) them:
/// a stable sort by precedence, highest first. `order[i]` is the position, in the list as
/// sent, of the source Consul calls `Sources[i]`.
pub fn consul_order(entry: &Value) -> Vec<usize> {
    let list = sources(entry);
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(precedence(entry, &list[i])));
    order
}

/// What Consul would do with a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A rule decides.
    Rule(Box<MatchedRule>),
    /// No rule matches: the cluster's default applies.
    Default { allow: bool },
}

/// The rule that decides a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedRule {
    pub destination: String,
    pub source: SourceKey,
    pub action: String,
    /// More than zero: decided per request by these L7 permissions.
    pub l7_permissions: usize,
    pub precedence: i64,
    pub description: String,
}

impl Decision {
    /// The answer in one sentence.
    pub fn summary(&self) -> String {
        match self {
            Self::Rule(rule) if rule.l7_permissions > 0 => {
                let n = rule.l7_permissions;
                format!(
                    "Depends on the request: {n} L7 permission{} decide{} per request",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "s" } else { "" }
                )
            }
            Self::Rule(rule) if rule.action == "allow" => "Allowed".into(),
            Self::Rule(_) => "Denied".into(),
            Self::Default { allow } => format!(
                "{}. No matching intention: the default ({}) applies",
                if *allow { "Allowed" } else { "Denied" },
                if *allow { "allow" } else { "deny" }
            ),
        }
    }

    pub fn allowed(&self) -> Option<bool> {
        match self {
            Self::Rule(rule) if rule.l7_permissions > 0 => None,
            Self::Rule(rule) => Some(rule.action == "allow"),
            Self::Default { allow } => Some(*allow),
        }
    }
}

/// The cluster's default for connections no intention matches, from the
/// `X-Consul-Default-ACL-Policy` header; without ACLs Consul allows.
pub fn default_allows(default_acl_policy: Option<&str>) -> bool {
    !matches!(default_acl_policy, Some(p) if p.eq_ignore_ascii_case("deny"))
}

/// What Consul applies to a connection no intention matches. From 1.18 the agent's
/// `default_intention_policy` decides when it is set, otherwise the ACL default policy
/// (agent/consul/util.go `DefaultIntentionAllow`); before 1.18 always the ACL default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnmatchedDefault {
    /// Known, and from where.
    Known { allow: bool, from_agent: bool },
    /// The agent's setting could not be read (the token lacks agent:read): it decides if set,
    /// otherwise the ACL default does.
    Unknown { acl_allow: bool },
}

/// `agent_setting`: `None` when `/v1/agent/self` could not be read; `Some(None)` when it was
/// read and has no `DebugConfig.DefaultIntentionPolicy` (unset, or a Consul before 1.18).
pub fn unmatched_default(
    agent_setting: Option<Option<&str>>,
    default_acl_policy: Option<&str>,
) -> UnmatchedDefault {
    let acl_allow = default_allows(default_acl_policy);
    match agent_setting {
        Some(Some(policy)) if !policy.trim().is_empty() => UnmatchedDefault::Known {
            allow: !policy.trim().eq_ignore_ascii_case("deny"),
            from_agent: true,
        },
        Some(_) => UnmatchedDefault::Known {
            allow: acl_allow,
            from_agent: false,
        },
        None => UnmatchedDefault::Unknown { acl_allow },
    }
}

fn name_matches(rule: &str, actual: &str) -> bool {
    rule == WILDCARD || rule == actual
}

/// Would `source` (a service of peer `source.peer`, or local when empty) be allowed to reach
/// `destination`? The highest-precedence matching rule wins; sources of equal precedence cannot
/// both match one caller, because Consul refuses duplicate sources in an entry.
pub fn decide(
    entries: &[Value],
    source: &SourceKey,
    destination: &str,
    default_allow: bool,
) -> Decision {
    let mut best: Option<(i64, &Value, &Value)> = None;
    for entry in entries {
        if !name_matches(&text(entry, "Name"), destination) {
            continue;
        }
        for rule in sources(entry) {
            let key = SourceKey::of(rule);
            // A peer's service never matches a local rule, even `*`, and vice versa.
            if key.peer != source.peer || key.sameness_group != source.sameness_group {
                continue;
            }
            if !name_matches(&key.name, &source.name) {
                continue;
            }
            let p = precedence(entry, rule);
            if best.is_none_or(|(bp, _, _)| p > bp) {
                best = Some((p, entry, rule));
            }
        }
    }
    match best {
        Some((precedence, entry, rule)) => Decision::Rule(Box::new(MatchedRule {
            destination: text(entry, "Name"),
            source: SourceKey::of(rule),
            action: text(rule, "Action"),
            l7_permissions: rule
                .get("Permissions")
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            precedence,
            description: text(rule, "Description"),
        })),
        None => Decision::Default {
            allow: default_allow,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(name: &str, sources: Value) -> Value {
        json!({"Kind": "service-intentions", "Name": name, "Sources": sources})
    }

    #[test]
    fn precedence_follows_consul_table() {
        let exact = entry("api", json!([]));
        let wild = entry("*", json!([]));
        let s = |n: &str| json!({"Name": n});
        assert_eq!(precedence(&exact, &s("web")), 9);
        assert_eq!(precedence(&exact, &s("*")), 8);
        assert_eq!(precedence(&wild, &s("web")), 6);
        assert_eq!(precedence(&wild, &s("*")), 5);
        // Peers do not change precedence.
        assert_eq!(
            precedence(&exact, &json!({"Name": "web", "Peer": "dc2"})),
            9
        );
        assert_eq!(
            precedence(&exact, &json!({"Name": "*", "Namespace": "*"})),
            7
        );
    }

    #[test]
    fn consul_order_is_a_stable_sort_by_precedence() {
        let e = entry(
            "api",
            json!([
                {"Name": "*", "Action": "deny"},
                {"Name": "zzz", "Action": "allow"},
                {"Name": "web", "Peer": "p", "Action": "allow"}
            ]),
        );
        assert_eq!(consul_order(&e), vec![1, 2, 0]);
    }

    #[test]
    fn exact_beats_wildcard_source_and_destination() {
        let entries = vec![
            entry(
                "api",
                json!([{"Name": "*", "Peer": "dc2", "Action": "deny"},
                                 {"Name": "web", "Peer": "dc2", "Action": "allow", "Description": "ok"}]),
            ),
            entry(
                "*",
                json!([{"Name": "web", "Peer": "dc2", "Action": "deny"}]),
            ),
        ];
        let web = SourceKey::peered("dc2", "web");
        match decide(&entries, &web, "api", false) {
            Decision::Rule(r) => {
                assert_eq!(
                    (r.action.as_str(), r.precedence, r.description.as_str()),
                    ("allow", 9, "ok")
                )
            }
            other => panic!("unexpected {other:?}"),
        }
        // Another service of dc2 falls to the peer-wide wildcard on `api`.
        let other = SourceKey::peered("dc2", "billing");
        assert_eq!(decide(&entries, &other, "api", true).allowed(), Some(false));
        // On another destination, the wildcard-destination rule decides.
        let d = decide(&entries, &web, "db", true);
        assert!(matches!(&d, Decision::Rule(r) if r.precedence == 6));
        assert_eq!(d.allowed(), Some(false));
    }

    #[test]
    fn wildcard_destination_exact_source_beats_exact_destination_wildcard_source() {
        // 8 (api ← *) beats 6 (* ← web).
        let entries = vec![
            entry("*", json!([{"Name": "web", "Action": "allow"}])),
            entry("api", json!([{"Name": "*", "Action": "deny"}])),
        ];
        let d = decide(&entries, &SourceKey::local("web"), "api", true);
        assert!(matches!(&d, Decision::Rule(r) if r.precedence == 8));
        assert_eq!(d.allowed(), Some(false));
    }

    #[test]
    fn a_peer_service_never_matches_a_local_rule() {
        let entries = vec![entry(
            "api",
            json!([{"Name": "web", "Action": "allow"}, {"Name": "*", "Action": "allow"}]),
        )];
        let d = decide(&entries, &SourceKey::peered("dc2", "web"), "api", false);
        assert_eq!(d, Decision::Default { allow: false });
        assert_eq!(
            d.summary(),
            "Denied. No matching intention: the default (deny) applies"
        );
        // And a local service never matches a peer rule.
        let peer_rules = vec![entry(
            "api",
            json!([{"Name": "web", "Peer": "dc2", "Action": "deny"}]),
        )];
        assert_eq!(
            decide(&peer_rules, &SourceKey::local("web"), "api", true),
            Decision::Default { allow: true }
        );
        // Peers are told apart from each other.
        assert_eq!(
            decide(&peer_rules, &SourceKey::peered("dc3", "web"), "api", true),
            Decision::Default { allow: true }
        );
    }

    #[test]
    fn l7_rules_decide_per_request() {
        let entries = vec![entry(
            "api",
            json!([{"Name": "web", "Peer": "dc2", "Permissions": [{"Action": "allow"}, {"Action": "deny"}]}]),
        )];
        let d = decide(&entries, &SourceKey::peered("dc2", "web"), "api", false);
        assert_eq!(d.allowed(), None);
        assert!(d
            .summary()
            .starts_with("Depends on the request: 2 L7 permissions"));
    }

    #[test]
    fn default_comes_from_the_acl_policy_header() {
        assert!(default_allows(None));
        assert!(default_allows(Some("allow")));
        assert!(!default_allows(Some("deny")));
        assert_eq!(
            Decision::Default { allow: true }.summary(),
            "Allowed. No matching intention: the default (allow) applies"
        );
    }

    #[test]
    fn the_agent_setting_decides_when_set_and_readable() {
        assert_eq!(
            unmatched_default(Some(Some("deny")), Some("allow")),
            UnmatchedDefault::Known {
                allow: false,
                from_agent: true
            }
        );
        assert_eq!(
            unmatched_default(Some(Some("allow")), Some("deny")),
            UnmatchedDefault::Known {
                allow: true,
                from_agent: true
            }
        );
        // Unset (or before 1.18): the ACL default.
        assert_eq!(
            unmatched_default(Some(None), Some("deny")),
            UnmatchedDefault::Known {
                allow: false,
                from_agent: false
            }
        );
        assert_eq!(
            unmatched_default(Some(Some("")), None),
            UnmatchedDefault::Known {
                allow: true,
                from_agent: false
            }
        );
        // Unreadable: both outcomes are possible.
        assert_eq!(
            unmatched_default(None, Some("deny")),
            UnmatchedDefault::Unknown { acl_allow: false }
        );
    }
}
