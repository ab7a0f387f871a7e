//! "Why can't the peer see my service?": the exporting side's checklist for one service and one
//! peer. One rule per line, in the order a request travels: the service, its export, the
//! peering, what the stream carries, the gateway the peer's calls arrive through, the intention.
use crate::model::checks::lines::{
    count_healthy, existing_peering, peering_live, CheckLine, Fix, Read, Status,
};
use crate::model::exports::entry::exported_to;
use crate::model::gateways::traffic::{missing_gateway, GatewayFacts, Health};
use crate::model::intentions::edit::{sources, SourceKey};
use crate::model::intentions::precedence::{decide, Decision, MatchedRule, UnmatchedDefault};
use crate::model::peers::peering::{Peering, PeeringState};
use serde_json::Value;
use std::collections::BTreeSet;

/// What the service-intentions entries say, and what applies when none matches.
#[derive(Clone, Debug, PartialEq)]
pub struct IntentionFacts {
    pub entries: Vec<Value>,
    pub default: UnmatchedDefault,
    /// The list hides entries this token may not read.
    pub hidden: bool,
}

/// Everything the exporter's checklist reads.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFacts {
    /// The service's instances here (`/v1/health/service/:name`).
    pub instances: Read<Vec<Health>>,
    /// The exported-services entry (`None`: not written yet).
    pub exports: Read<Option<Value>>,
    pub peering: Read<Option<Peering>>,
    /// Consul's clock, for the heartbeat's age.
    pub server_now: Option<i64>,
    pub gateways: Read<GatewayFacts>,
    pub intentions: Read<IntentionFacts>,
}

pub fn export_checklist(service: &str, peer: &str, facts: &ExportFacts) -> Vec<CheckLine> {
    vec![
        registered(service, peer, &facts.instances),
        exported(service, peer, &facts.exports),
        peering_live(peer, &facts.peering, facts.server_now),
        carried(service, peer, &facts.peering, &facts.exports),
        gateway_here(service, peer, &facts.gateways),
        intention_allows(service, peer, &facts.intentions),
    ]
}

/// The service is registered here with healthy instances.
pub fn registered(service: &str, peer: &str, instances: &Read<Vec<Health>>) -> CheckLine {
    let title = format!("{service} is registered here with healthy instances");
    match instances {
        Err(reason) => CheckLine::unreadable(title, "its instances", reason),
        Ok(list) => match count_healthy(list) {
            Ok(count) => CheckLine::new(Status::Pass, title, format!("{count}.")),
            Err(problem) => CheckLine::new(
                Status::Fail,
                title,
                format!("In this cluster {problem}: {peer}'s callers would find no healthy instance of {service}. Registering and health checks are the service's own deployment, not a setting here."),
            ),
        },
    }
}

/// Whether the entry exports `service` to `peer`: `Some(true)` by name or by `*`.
fn is_exported(service: &str, peer: &str, exports: &Read<Option<Value>>) -> Option<bool> {
    let entry = exports.as_ref().ok()?;
    Some(
        exported_to(entry.as_ref(), peer)
            .iter()
            .any(|s| s.name == service || s.is_wildcard()),
    )
}

/// It is exported to that peer.
pub fn exported(service: &str, peer: &str, exports: &Read<Option<Value>>) -> CheckLine {
    let title = format!("{service} is exported to {peer}");
    let entry = match exports {
        Err(reason) => return CheckLine::unreadable(title, "the exported-services entry", reason),
        Ok(entry) => entry.as_ref(),
    };
    let listed = exported_to(entry, peer);
    if listed.iter().any(|s| s.name == service) {
        CheckLine::new(
            Status::Pass,
            title,
            format!("The exported-services entry lets {peer} import {service}."),
        )
    } else if listed.iter().any(|s| s.is_wildcard()) {
        CheckLine::new(
            Status::Pass,
            title,
            format!("The exported-services entry exports every service (*) to {peer}."),
        )
    } else {
        let why = match entry {
            None => format!("This cluster has no exported-services entry yet: {peer} can import none of its services."),
            Some(_) => format!("The exported-services entry does not name {service} for {peer}: a peer sees only what is exported to it."),
        };
        CheckLine::new(Status::Fail, title, why).fix(Fix::Export {
            service: service.to_string(),
            peer: peer.to_string(),
        })
    }
}

/// It is in what actually flows to the peer (`StreamStatus.ExportedServices`).
pub fn carried(
    service: &str,
    peer: &str,
    peering: &Read<Option<Peering>>,
    exports: &Read<Option<Value>>,
) -> CheckLine {
    let title = format!("The peering's stream carries {service} to {peer}");
    let peering = match existing_peering(&title, peering, || {
        format!("There is no peering named {peer}, so nothing flows to it.")
    }) {
        Ok(p) => p,
        Err(line) => return *line,
    };
    let Some(stream) = &peering.stream_status else {
        return CheckLine::new(
            Status::Unknown,
            title,
            "Consul did not report the stream's contents (StreamStatus is missing).",
        );
    };
    if stream.exported_services.iter().any(|s| s == service) {
        return CheckLine::new(
            Status::Pass,
            title,
            format!("StreamStatus.ExportedServices lists {service}: Consul has sent it to {peer}."),
        );
    }
    let line = |why: String| CheckLine::new(Status::Fail, title.clone(), why);
    match is_exported(service, peer, exports) {
        Some(false) => line(format!(
            "StreamStatus.ExportedServices does not list {service}: it is not exported to {peer}."
        ))
        .fix(Fix::Export {
            service: service.to_string(),
            peer: peer.to_string(),
        }),
        _ if peering.state != PeeringState::Active => line(format!(
            "StreamStatus.ExportedServices does not list {service}, and the stream is not up ({}).",
            peering.state.badge()
        ))
        .fix(Fix::Peer(peer.to_string())),
        _ => line(format!(
            "StreamStatus.ExportedServices does not list {service} yet: Consul sends an export within seconds of the change, and only for a service registered here."
        )),
    }
}

/// A healthy mesh gateway exists here: the peer's calls arrive through it.
pub fn gateway_here(service: &str, peer: &str, gateways: &Read<GatewayFacts>) -> CheckLine {
    let title = "A healthy mesh gateway runs in this cluster";
    match gateways {
        Err(reason) => CheckLine::unreadable(title, "the mesh gateways", reason),
        Ok(facts) if facts.healthy > 0 => CheckLine::new(
            Status::Pass,
            title,
            format!(
                "{} of {} mesh gateway instances are healthy: {peer}'s calls to {service} arrive through them.",
                facts.healthy, facts.registered
            ),
        ),
        Ok(facts) => CheckLine::new(
            Status::Fail,
            title,
            format!(
                "{}. The exporting cluster needs one: {peer}'s calls to {service} arrive through it.",
                missing_gateway(facts)
            ),
        )
        .fix(Fix::Gateways),
    }
}

/// An intention allows the peer's callers, or the default does ("Can it talk?" decides).
/// Asked for every service of the peer that a rule names, and for "any other" (`*`).
pub fn intention_allows(service: &str, peer: &str, intentions: &Read<IntentionFacts>) -> CheckLine {
    let title = format!("An intention allows {peer}'s services to call {service}");
    let facts = match intentions {
        Err(reason) => return CheckLine::unreadable(title, "the intentions", reason),
        Ok(f) => f,
    };
    let (assumed, default_known) = match facts.default {
        UnmatchedDefault::Known { allow, .. } => (allow, true),
        UnmatchedDefault::Unknown { acl_allow } => (acl_allow, false),
    };
    let mut callers: BTreeSet<String> = BTreeSet::new();
    for entry in &facts.entries {
        for source in sources(entry) {
            let key = SourceKey::of(source);
            if key.peer == peer && key.name != "*" {
                callers.insert(key.name);
            }
        }
    }
    let decisions: Vec<(String, Decision)> = callers
        .into_iter()
        .chain(std::iter::once("*".to_string()))
        .map(|name| {
            let key = SourceKey::peered(peer, &name);
            let d = decide(&facts.entries, &key, service, assumed);
            (name, d)
        })
        .collect();
    let rule_text = |d: &Decision| match d {
        Decision::Rule(r) => format!("the rule {} → {}", r.source.label(), r.destination),
        Decision::Default { .. } => "the default".into(),
    };
    // Allowed by a rule, or by a default known to allow. When Consul hid entries from the
    // token, only a rule of the entry named after the service is sure to win: any hidden rule
    // has a wildcard destination there, and an exact destination outranks every wildcard one
    // (`agent/structs/config_entry_intentions.go`, `computeIntentionPrecedence`).
    let certain = |d: &Decision| match d {
        Decision::Rule(r) => !facts.hidden || r.destination == service,
        Decision::Default { .. } => default_known && !facts.hidden,
    };
    let allowed = decisions
        .iter()
        .find(|(_, d)| d.allowed() == Some(true) && certain(d));
    if let Some((name, decision)) = allowed {
        let who = if name == "*" {
            format!("{peer}'s services")
        } else {
            format!("{name} from {peer}")
        };
        let why = match decision {
            Decision::Rule(_) => format!("{who} may call {service}: {} allows.", rule_text(decision)),
            Decision::Default { .. } => format!(
                "{peer}'s services that no intention names may call {service}: the default for unmatched connections is allow."
            ),
        };
        return CheckLine::new(Status::Pass, title, why);
    }
    let new_rule = Fix::NewIntention {
        peer: peer.to_string(),
        destination: service.to_string(),
    };
    if let Some((_, Decision::Rule(rule))) = decisions.iter().find(|(_, d)| d.allowed().is_none()) {
        return CheckLine::new(
            Status::Unknown,
            title,
            format!(
                "Depends on the request: the L7 permissions of the rule {} → {} decide per request.",
                rule.source.label(),
                rule.destination
            ),
        )
        .fix(edit_rule(rule));
    }
    if facts.hidden {
        return CheckLine::new(
            Status::Unknown,
            title,
            "Your token cannot read every intention (Consul filtered the list by ACLs): a hidden one may decide.",
        )
        .fix(new_rule);
    }
    // `*` stands for every service of the peer that no rule names.
    let anyone = decisions
        .iter()
        .find(|(name, _)| name == "*")
        .map(|(_, d)| d.clone())
        .unwrap_or(Decision::Default { allow: assumed });
    match anyone {
        Decision::Rule(rule) => CheckLine::new(
            Status::Fail,
            title,
            format!(
                "Denied by the rule {} → {}, and no rule allows any of {peer}'s services.",
                rule.source.label(),
                rule.destination
            ),
        )
        .fix(edit_rule(&rule)),
        Decision::Default { .. } if !default_known => CheckLine::new(
            Status::Unknown,
            title,
            format!(
                "No intention allows {peer}'s services to call {service}. The agent's default_intention_policy then decides (Consul 1.18+), which your token cannot read (agent:read); when it is not set, the ACL default ({}) does.",
                if assumed { "allow" } else { "deny" }
            ),
        )
        .fix(new_rule),
        Decision::Default { .. } => CheckLine::new(
            Status::Fail,
            title,
            format!(
                "No intention allows {peer}'s services to call {service}, and the default for unmatched connections is deny."
            ),
        )
        .fix(new_rule),
    }
}

/// The link to the editor of the rule that decides.
fn edit_rule(rule: &MatchedRule) -> Fix {
    Fix::EditIntention {
        destination: rule.destination.clone(),
        source: rule.source.clone(),
    }
}

/// The services this checklist can be asked about: not the `*` of a wildcard export.
pub fn checkable(service: &str) -> bool {
    !service.is_empty() && super::lines::one_service(service).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::checks::lines::tests::{now, peering};
    use serde_json::json;

    fn exports(services: Value) -> Read<Option<Value>> {
        Ok(Some(
            json!({"Kind": "exported-services", "Name": "default", "Services": services}),
        ))
    }

    fn intentions(entries: Vec<Value>, default: UnmatchedDefault) -> Read<IntentionFacts> {
        Ok(IntentionFacts {
            entries,
            default,
            hidden: false,
        })
    }

    const DENY: UnmatchedDefault = UnmatchedDefault::Known {
        allow: false,
        from_agent: false,
    };
    const ALLOW: UnmatchedDefault = UnmatchedDefault::Known {
        allow: true,
        from_agent: false,
    };

    fn healthy_facts() -> ExportFacts {
        ExportFacts {
            instances: Ok(vec![Health::Passing]),
            exports: exports(json!([{"Name": "web", "Consumers": [{"Peer": "dc2"}]}])),
            peering: Ok(Some(peering(
                "ACTIVE",
                Some("2026-11-27T09:09:58Z"),
                &["web"],
            ))),
            server_now: now(),
            gateways: Ok(GatewayFacts {
                healthy: 1,
                registered: 1,
                ..GatewayFacts::default()
            }),
            intentions: intentions(
                vec![
                    json!({"Name": "web", "Sources": [{"Name": "*", "Peer": "dc2", "Action": "allow"}]}),
                ],
                DENY,
            ),
        }
    }

    #[test]
    fn all_green_when_everything_holds() {
        let lines = export_checklist("web", "dc2", &healthy_facts());
        assert_eq!(lines.len(), 6);
        for line in &lines {
            assert_eq!(line.status, Status::Pass, "{line:?}");
            assert_eq!(line.fix, None);
        }
    }

    #[test]
    fn registered_fails_without_healthy_instances_and_has_no_link() {
        let line = registered("web", "dc2", &Ok(vec![Health::Critical]));
        assert_eq!((line.status, line.fix.clone()), (Status::Fail, None));
        assert!(line.why.contains("its one instance fails a health check"));
        assert_eq!(registered("web", "dc2", &Ok(vec![])).status, Status::Fail);
        assert_eq!(
            registered("web", "dc2", &Err("Your token lacks service:read".into())).status,
            Status::Unknown
        );
    }

    #[test]
    fn exported_by_name_or_wildcard_and_the_fix_prefills_the_editor() {
        let by_name = exported("web", "dc2", &healthy_facts().exports);
        assert_eq!(by_name.status, Status::Pass);
        let wildcard = exported(
            "web",
            "dc2",
            &exports(json!([{"Name": "*", "Consumers": [{"Peer": "dc2"}]}])),
        );
        assert_eq!(wildcard.status, Status::Pass);
        assert!(wildcard.why.contains("every service"));
        let other_peer = exported(
            "web",
            "dc2",
            &exports(json!([{"Name": "web", "Consumers": [{"Peer": "dc3"}]}])),
        );
        assert_eq!(other_peer.status, Status::Fail);
        assert_eq!(
            other_peer.fix,
            Some(Fix::Export {
                service: "web".into(),
                peer: "dc2".into()
            })
        );
        let none = exported("web", "dc2", &Ok(None));
        assert!(none.why.contains("no exported-services entry"));
        assert_eq!(
            exported("web", "dc2", &Err("x".into())).status,
            Status::Unknown
        );
    }

    #[test]
    fn carried_reads_the_stream_and_explains_its_absence() {
        let facts = healthy_facts();
        assert_eq!(
            carried("web", "dc2", &facts.peering, &facts.exports).status,
            Status::Pass
        );
        let empty = Ok(Some(peering("ACTIVE", None, &[])));
        let not_exported = carried("web", "dc2", &empty, &exports(json!([])));
        assert_eq!(not_exported.status, Status::Fail);
        assert!(matches!(not_exported.fix, Some(Fix::Export { .. })));
        let down = carried(
            "web",
            "dc2",
            &Ok(Some(peering("FAILING", None, &[]))),
            &facts.exports,
        );
        assert_eq!(down.fix, Some(Fix::Peer("dc2".into())));
        let waiting = carried("web", "dc2", &empty, &facts.exports);
        assert_eq!((waiting.status, waiting.fix), (Status::Fail, None));
        let old: Peering =
            serde_json::from_value(json!({"Name": "dc2", "State": "ACTIVE"})).expect("1.13");
        assert_eq!(
            carried("web", "dc2", &Ok(Some(old)), &facts.exports).status,
            Status::Unknown
        );
    }

    #[test]
    fn gateway_line_needs_a_healthy_instance() {
        let sick = GatewayFacts {
            healthy: 0,
            registered: 1,
            ..GatewayFacts::default()
        };
        let line = gateway_here("web", "dc2", &Ok(sick));
        assert_eq!(
            (line.status, line.fix.clone()),
            (Status::Fail, Some(Fix::Gateways))
        );
        assert!(line.why.starts_with(
            "The one mesh gateway instance registered in this cluster is not healthy."
        ));
        assert_eq!(
            gateway_here("web", "dc2", &healthy_facts().gateways).status,
            Status::Pass
        );
    }

    #[test]
    fn intentions_decide_as_can_it_talk_does() {
        // A deny for every dc2 service: fail, with a link to that rule.
        let deny = intentions(
            vec![
                json!({"Name": "web", "Sources": [{"Name": "*", "Peer": "dc2", "Action": "deny"}]}),
            ],
            ALLOW,
        );
        let line = intention_allows("web", "dc2", &deny);
        assert_eq!(line.status, Status::Fail);
        assert_eq!(
            line.fix,
            Some(Fix::EditIntention {
                destination: "web".into(),
                source: SourceKey::peered("dc2", "*")
            })
        );
        // One named caller allowed is enough.
        let one = intentions(
            vec![json!({"Name": "web", "Sources": [
                {"Name": "*", "Peer": "dc2", "Action": "deny"},
                {"Name": "frontend", "Peer": "dc2", "Action": "allow"}]})],
            DENY,
        );
        let line = intention_allows("web", "dc2", &one);
        assert_eq!(line.status, Status::Pass);
        assert!(line.why.starts_with("frontend from dc2 may call web"));
        // A local rule never matches a peer's service; the default decides.
        let local = vec![json!({"Name": "web", "Sources": [{"Name": "*", "Action": "allow"}]})];
        let line = intention_allows("web", "dc2", &intentions(local.clone(), DENY));
        assert_eq!(line.status, Status::Fail);
        assert_eq!(
            line.fix,
            Some(Fix::NewIntention {
                peer: "dc2".into(),
                destination: "web".into()
            })
        );
        assert_eq!(
            intention_allows("web", "dc2", &intentions(local.clone(), ALLOW)).status,
            Status::Pass
        );
        // The agent's setting unread: the default is not known.
        let unknown = UnmatchedDefault::Unknown { acl_allow: false };
        let line = intention_allows("web", "dc2", &intentions(local, unknown));
        assert_eq!(line.status, Status::Unknown);
        assert!(line.why.contains("agent:read"));
    }

    #[test]
    fn l7_hidden_and_unreadable_intentions_are_unknown() {
        let l7 = intentions(
            vec![
                json!({"Name": "web", "Sources": [{"Name": "*", "Peer": "dc2",
                "Permissions": [{"Action": "allow", "HTTP": {"PathPrefix": "/"}}]}]}),
            ],
            DENY,
        );
        let line = intention_allows("web", "dc2", &l7);
        assert_eq!(line.status, Status::Unknown);
        assert!(line.why.starts_with("Depends on the request"));
        let hidden = Ok(IntentionFacts {
            entries: vec![],
            default: DENY,
            hidden: true,
        });
        assert_eq!(
            intention_allows("web", "dc2", &hidden).status,
            Status::Unknown
        );
        assert_eq!(
            intention_allows("web", "dc2", &Err("403".into())).status,
            Status::Unknown
        );
        // A wildcard destination rule counts too.
        let star = intentions(
            vec![
                json!({"Name": "*", "Sources": [{"Name": "*", "Peer": "dc2", "Action": "allow"}]}),
            ],
            DENY,
        );
        assert_eq!(intention_allows("web", "dc2", &star).status, Status::Pass);
        assert!(checkable("web") && !checkable("*"));
    }

    #[test]
    fn a_hidden_rule_may_deny_what_the_default_or_a_wildcard_rule_allows() {
        let allow = UnmatchedDefault::Known {
            allow: true,
            from_agent: false,
        };
        // The default allows, but Consul hid entries: a hidden `*` rule may deny dc2.
        let hidden_default = Ok(IntentionFacts {
            entries: vec![],
            default: allow,
            hidden: true,
        });
        let line = intention_allows("web", "dc2", &hidden_default);
        assert_eq!(line.status, Status::Unknown);
        assert!(line.why.contains("filtered"));
        // A visible rule on the `*` destination is outranked by a hidden rule on `web`.
        let star =
            json!({"Name": "*", "Sources": [{"Name": "*", "Peer": "dc2", "Action": "allow"}]});
        let hidden_star = Ok(IntentionFacts {
            entries: vec![star],
            default: DENY,
            hidden: true,
        });
        assert_eq!(
            intention_allows("web", "dc2", &hidden_star).status,
            Status::Unknown
        );
        // A rule of the `web` entry itself outranks anything hidden.
        let exact =
            json!({"Name": "web", "Sources": [{"Name": "*", "Peer": "dc2", "Action": "allow"}]});
        let hidden_exact = Ok(IntentionFacts {
            entries: vec![exact],
            default: DENY,
            hidden: true,
        });
        assert_eq!(
            intention_allows("web", "dc2", &hidden_exact).status,
            Status::Pass
        );
    }

    #[test]
    fn a_default_allow_does_not_deny_that_rules_name_the_peer() {
        let allow = UnmatchedDefault::Known {
            allow: true,
            from_agent: false,
        };
        let l7 = json!({"Name": "web", "Sources": [{"Name": "frontend", "Peer": "dc2",
            "Permissions": [{"Action": "allow", "HTTP": {"PathPrefix": "/api/"}}]}]});
        let line = intention_allows("web", "dc2", &intentions(vec![l7], allow));
        assert_eq!(line.status, Status::Pass);
        assert!(!line.why.contains("No intention names"), "{}", line.why);
        assert!(line.why.contains("that no intention names"), "{}", line.why);
    }
}
