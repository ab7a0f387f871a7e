//! The checklists behind "Why can't the peer see my service?" and "Why can't my service call
//! theirs?": what a line is, and the rules both sides share (a service's instances, the
//! peering's liveness). Each rule takes data the page already fetched; a read that failed makes
//! its line Unknown with the reason, never a guess.
use crate::model::gateways::traffic::{gateway_instances, GatewayFacts, Health};
use crate::model::intentions::edit::SourceKey;
use crate::model::peers::freshness::{
    describe_time, freshness, last_activity, relative_age, set_time, Freshness, NO_SERVER_CLOCK,
};
use crate::model::peers::peering::{Peering, PeeringState};
use serde_json::Value;

/// Why a checklist page will not check `service`: `*` is the wildcard of exports and
/// intentions (Consul's `structs.WildcardSpecifier`), and each page is about one service; a
/// generated entry with `Name = "*"` would allow every service.
pub fn one_service(service: &str) -> Result<(), &'static str> {
    if service.trim() == "*" {
        Err(EVERY_SERVICE)
    } else {
        Ok(())
    }
}

pub const EVERY_SERVICE: &str = "* means every service: this page checks one service.";

/// A read's data, or why it could not be read (e.g. "Your token lacks service:read").
pub type Read<T> = Result<T, String>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    /// The data could not be read, or this cluster cannot know.
    Unknown,
}

impl Status {
    /// The word shown next to the line (colour is never the only signal).
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "OK",
            Self::Fail => "Problem",
            Self::Unknown => "Unknown",
        }
    }

    /// CSS class and `data-status` value.
    pub fn tone(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Unknown => "unknown",
        }
    }
}

/// Where the operator fixes a line, in this console. `routes.rs` turns it into a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// The exports editor, pre-filled with this service and peer.
    Export {
        service: String,
        peer: String,
    },
    Peer(String),
    /// No peering of that name: add one.
    AddPeer,
    Gateways,
    NewIntention {
        peer: String,
        destination: String,
    },
    EditIntention {
        destination: String,
        source: SourceKey,
    },
}

impl Fix {
    /// The link's text.
    pub fn label(&self) -> String {
        match self {
            Self::Export { service, peer } => format!("Export {service} to {peer}"),
            Self::Peer(name) => format!("Open the peering {name}"),
            Self::AddPeer => "Add a peer connection".into(),
            Self::Gateways => "Open Gateways".into(),
            Self::NewIntention { peer, destination } => {
                format!("Add an intention from {peer} to {destination}")
            }
            Self::EditIntention {
                destination,
                source,
            } => format!("Edit the rule {} → {destination}", source.label()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckLine {
    pub status: Status,
    pub title: String,
    pub why: String,
    pub fix: Option<Fix>,
}

impl CheckLine {
    pub fn new(status: Status, title: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            status,
            title: title.into(),
            why: why.into(),
            fix: None,
        }
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The line when its data could not be read.
    pub fn unreadable(title: impl Into<String>, what: &str, reason: &str) -> Self {
        Self::new(
            Status::Unknown,
            title,
            format!("Could not read {what}: {reason}."),
        )
    }
}

/// The health of each instance in a `/v1/health/service/:name` answer (worst check wins;
/// warning still receives traffic).
pub fn instance_health(list: &[Value]) -> Vec<Health> {
    gateway_instances(list)
        .into_iter()
        .map(|i| i.health)
        .collect()
}

/// A health read as a checklist sees it: an empty answer that Consul filtered by ACLs says
/// nothing about the service, only about the token.
pub fn visible_instances(
    list: &[Value],
    filtered_by_acls: bool,
    service: &str,
) -> Read<Vec<Health>> {
    let health = instance_health(list);
    if health.is_empty() && filtered_by_acls {
        return Err(format!(
            "Consul hid {service}'s instances from your token (it needs service:read on {service})"
        ));
    }
    Ok(health)
}

/// Gateway facts as a checklist sees them: none registered, in a list Consul filtered by ACLs,
/// says nothing about the gateways.
pub fn visible_gateways(facts: GatewayFacts, services_hidden: bool) -> Read<GatewayFacts> {
    if facts.registered == 0 && services_hidden {
        return Err(
            "Consul hid this cluster's services from your token, mesh gateways included (it needs service:read)"
                .into(),
        );
    }
    Ok(facts)
}

/// "2 of 3 instances are healthy", or why none is. `Err` when none is healthy.
pub fn count_healthy(instances: &[Health]) -> Result<String, String> {
    let total = instances.len();
    let healthy = instances.iter().filter(|h| h.healthy()).count();
    let noun = |n: usize| if n == 1 { "instance" } else { "instances" };
    match (total, healthy) {
        (0, _) => Err("no instance is registered".into()),
        (1, 0) => Err("its one instance fails a health check".into()),
        (n, 0) => Err(format!("all {n} {} fail a health check", noun(n))),
        (n, h) => Ok(format!(
            "{h} of {n} {} {} healthy",
            noun(n),
            if h == 1 { "is" } else { "are" }
        )),
    }
}

/// The peering a line judges; or the line itself, Unknown when it could not be read and a
/// Problem (with "Add a peer connection") when Consul has no peering of that name.
pub fn existing_peering<'a>(
    title: &str,
    peering: &'a Read<Option<Peering>>,
    missing: impl FnOnce() -> String,
) -> Result<&'a Peering, Box<CheckLine>> {
    match peering {
        Err(reason) => Err(Box::new(CheckLine::unreadable(
            title,
            "the peering",
            reason,
        ))),
        Ok(None) => Err(Box::new(
            CheckLine::new(Status::Fail, title, missing()).fix(Fix::AddPeer),
        )),
        Ok(Some(p)) => Ok(p),
    }
}

/// "The peering is Active and its heartbeat fresh." `peering`: `None` when Consul has no
/// peering of that name.
pub fn peering_live(
    name: &str,
    peering: &Read<Option<Peering>>,
    server_now: Option<i64>,
) -> CheckLine {
    let title = format!("The peering {name} is Active and its heartbeat fresh");
    let peering = match existing_peering(&title, peering, || {
        format!("This cluster has no peering named {name}.")
    }) {
        Ok(p) => p,
        Err(line) => return *line,
    };
    let fix = Fix::Peer(name.to_string());
    if peering.state != PeeringState::Active {
        let status = match peering.state {
            PeeringState::Undefined(_) => Status::Unknown,
            _ => Status::Fail,
        };
        let why = format!("{}: {}", peering.state.badge(), peering.state.meaning());
        return CheckLine::new(status, title, why).fix(fix);
    }
    match freshness(peering, server_now) {
        Freshness::Stale { age_secs } => CheckLine::new(
            Status::Fail,
            title,
            format!(
                "Consul reports Active, but nothing has been received from {name} since {}: past Consul's 2-minute heartbeat timeout, so the stream is probably broken.",
                relative_age(age_secs)
            ),
        )
        .fix(fix),
        Freshness::Unknown => {
            let s = peering.stream();
            let at = s
                .last_heartbeat
                .as_deref()
                .and_then(|t| set_time(Some(t)))
                .or_else(|| set_time(s.last_receive.as_deref()))
                .unwrap_or("an unknown time")
                .to_string();
            CheckLine::new(
                Status::Unknown,
                title,
                format!("Active, last heard from {name} at {at}, but whether that is recent cannot be told: {NO_SERVER_CLOCK}."),
            )
        }
        Freshness::NoHeartbeatYet => CheckLine::new(
            Status::Unknown,
            title,
            "Active, but no heartbeat has arrived yet: Consul sends one every 15 seconds. Check again shortly.",
        ),
        Freshness::Live | Freshness::NotApplicable => {
            let heard = last_activity(peering)
                .and_then(|_| {
                    let s = peering.stream();
                    let at = s.last_heartbeat.or(s.last_receive);
                    describe_time(at.as_deref(), server_now)
                })
                .map(|age| format!("Active; last heard from {name} {age}."))
                .unwrap_or_else(|| "Active.".into());
            CheckLine::new(Status::Pass, title, heard)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::peers::freshness::parse_http_date;

    pub const NOW: &str = "Fri, 27 Nov 2026 09:10:00 GMT";

    #[test]
    fn a_checklist_is_about_one_service() {
        assert_eq!(one_service("web"), Ok(()));
        assert_eq!(one_service("*"), Err(EVERY_SERVICE));
        assert_eq!(one_service(" * "), Err(EVERY_SERVICE));
        // Only the wildcard itself: a name merely containing `*` is not Consul's wildcard.
        assert_eq!(one_service("web*"), Ok(()));
    }

    pub fn now() -> Option<i64> {
        parse_http_date(NOW)
    }

    pub fn peering(state: &str, heartbeat: Option<&str>, exported: &[&str]) -> Peering {
        serde_json::from_value(serde_json::json!({
            "Name": "dc2", "State": state,
            "StreamStatus": {"LastHeartbeat": heartbeat, "ExportedServices": exported,
                             "ImportedServices": exported}
        }))
        .expect("fixture")
    }

    #[test]
    fn instance_counts_read_naturally() {
        use Health::*;
        assert_eq!(
            count_healthy(&[Passing, Warning, Critical]),
            Ok("2 of 3 instances are healthy".into())
        );
        assert_eq!(
            count_healthy(&[Passing]),
            Ok("1 of 1 instance is healthy".into())
        );
        assert_eq!(count_healthy(&[]), Err("no instance is registered".into()));
        assert_eq!(
            count_healthy(&[Critical]),
            Err("its one instance fails a health check".into())
        );
        assert_eq!(
            count_healthy(&[Critical, Critical]),
            Err("all 2 instances fail a health check".into())
        );
        let list = vec![
            serde_json::json!({"Service": {"Service": "web", "Port": 1}, "Checks": [{"Status": "passing"}]}),
            serde_json::json!({"Service": {"Service": "web", "Port": 1}, "Checks": [{"Status": "critical"}]}),
        ];
        assert_eq!(instance_health(&list), vec![Passing, Critical]);
        assert_eq!(
            visible_instances(&list, true, "web"),
            Ok(vec![Passing, Critical])
        );
        assert_eq!(visible_instances(&[], false, "web"), Ok(vec![]));
        assert_eq!(
            visible_instances(&[], true, "web"),
            Err("Consul hid web's instances from your token (it needs service:read on web)".into())
        );
    }

    #[test]
    fn hidden_gateways_are_not_missing_gateways() {
        let none = GatewayFacts::default();
        assert!(visible_gateways(none.clone(), true).is_err());
        assert_eq!(visible_gateways(none.clone(), false), Ok(none));
        let one = GatewayFacts {
            registered: 1,
            ..GatewayFacts::default()
        };
        assert_eq!(visible_gateways(one.clone(), true), Ok(one));
    }

    #[test]
    fn a_live_peering_passes() {
        let line = peering_live(
            "dc2",
            &Ok(Some(peering("ACTIVE", Some("2026-11-27T09:09:50Z"), &[]))),
            now(),
        );
        assert_eq!(line.status, Status::Pass);
        assert_eq!(line.why, "Active; last heard from dc2 10 s ago.");
        assert_eq!(line.fix, None);
    }

    #[test]
    fn a_stale_failing_or_missing_peering_fails_with_a_link() {
        let stale = peering_live(
            "dc2",
            &Ok(Some(peering("ACTIVE", Some("2026-11-27T09:05:00Z"), &[]))),
            now(),
        );
        assert_eq!(stale.status, Status::Fail);
        assert!(stale.why.contains("since 5 min ago"), "{}", stale.why);
        assert_eq!(stale.fix, Some(Fix::Peer("dc2".into())));
        let failing = peering_live("dc2", &Ok(Some(peering("FAILING", None, &[]))), now());
        assert_eq!(failing.status, Status::Fail);
        assert!(failing.why.starts_with("Failing: "));
        let missing = peering_live("dc2", &Ok(None), now());
        assert_eq!(
            (missing.status, missing.fix),
            (Status::Fail, Some(Fix::AddPeer))
        );
    }

    #[test]
    fn without_a_server_clock_an_old_heartbeat_is_unknown_with_the_reason() {
        let line = peering_live(
            "dc2",
            &Ok(Some(peering("ACTIVE", Some("2026-11-27T09:00:00Z"), &[]))),
            None,
        );
        assert_eq!(line.status, Status::Unknown);
        assert!(line.why.contains("2026-11-27T09:00:00Z"), "{}", line.why);
        assert!(line.why.contains("no Date header"), "{}", line.why);
    }

    #[test]
    fn no_heartbeat_yet_or_unreadable_is_unknown() {
        let quiet = peering_live("dc2", &Ok(Some(peering("ACTIVE", None, &[]))), now());
        assert_eq!(quiet.status, Status::Unknown);
        let denied = peering_live("dc2", &Err("Your token lacks peering:read".into()), now());
        assert_eq!(denied.status, Status::Unknown);
        assert_eq!(
            denied.why,
            "Could not read the peering: Your token lacks peering:read."
        );
    }

    #[test]
    fn fixes_name_their_link() {
        assert_eq!(
            Fix::EditIntention {
                destination: "web".into(),
                source: SourceKey::peered("dc2", "*")
            }
            .label(),
            "Edit the rule * (peer dc2) → web"
        );
        assert_eq!(
            Fix::Export {
                service: "web".into(),
                peer: "dc2".into()
            }
            .label(),
            "Export web to dc2"
        );
    }
}
