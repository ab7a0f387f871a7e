//! Changes worth interrupting the operator for: a peering that turns FAILING, stale or
//! TERMINATED while the console is open.
use crate::model::peers::freshness::{freshness, Freshness, NO_SERVER_CLOCK};
use crate::model::peers::peering::{Peering, PeeringState};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trouble {
    Failing,
    Stale,
    /// Active, but with no server clock it cannot be told whether it is still heard from.
    Unknown,
    Terminated,
}

impl Trouble {
    pub fn describe(self, peer: &str) -> String {
        match self {
            Self::Failing => format!("Peering \"{peer}\" is failing: Consul cannot keep the connection up and keeps retrying."),
            Self::Stale => format!("Peering \"{peer}\" claims Active but has not been heard from for over 2 minutes."),
            Self::Unknown => format!("Peering \"{peer}\" claims Active, but whether it is still heard from cannot be told: {NO_SERVER_CLOCK}."),
            Self::Terminated => format!("Peering \"{peer}\" was terminated by the other cluster."),
        }
    }
}

fn trouble(p: &Peering, server_now: Option<i64>) -> Option<Trouble> {
    match p.state {
        PeeringState::Failing => Some(Trouble::Failing),
        PeeringState::Terminated => Some(Trouble::Terminated),
        _ => match freshness(p, server_now) {
            Freshness::Stale { .. } => Some(Trouble::Stale),
            Freshness::Unknown => Some(Trouble::Unknown),
            _ => None,
        },
    }
}

/// Troubles in `next` that were not there in `previous` (by peer name), in name order.
pub fn new_troubles(
    previous: &[Peering],
    previous_now: Option<i64>,
    next: &[Peering],
    next_now: Option<i64>,
) -> Vec<(String, Trouble)> {
    let before: BTreeMap<&str, Option<Trouble>> = previous
        .iter()
        .map(|p| (p.name.as_str(), trouble(p, previous_now)))
        .collect();
    let mut out: Vec<(String, Trouble)> = next
        .iter()
        .filter_map(|p| {
            let now = trouble(p, next_now)?;
            match before.get(p.name.as_str()) {
                Some(Some(was)) if *was == now => None,
                _ => Some((p.name.clone(), now)),
            }
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, state: &str, hb: Option<&str>) -> Peering {
        serde_json::from_value(serde_json::json!({"Name": name, "State": state, "StreamStatus": {"LastHeartbeat": hb}}))
            .expect("fixture")
    }

    #[test]
    fn reports_only_new_trouble() {
        let now = Some(1_800_000_000);
        let before = vec![
            p("a", "ACTIVE", None),
            p("b", "FAILING", None),
            p("c", "ACTIVE", None),
        ];
        let after = vec![
            p("a", "FAILING", None),
            p("b", "FAILING", None),
            p("c", "TERMINATED", None),
            p("d", "PENDING", None),
        ];
        assert_eq!(
            new_troubles(&before, now, &after, now),
            vec![
                ("a".to_string(), Trouble::Failing),
                ("c".to_string(), Trouble::Terminated)
            ]
        );
    }

    #[test]
    fn stale_heartbeat_is_trouble() {
        let t0 = crate::model::peers::freshness::parse_rfc3339("2026-11-27T09:00:00Z");
        let before = vec![p("a", "ACTIVE", Some("2026-11-27T09:00:00Z"))];
        let later = t0.map(|t| t + 300);
        assert_eq!(
            new_troubles(&before, t0, &before, later),
            vec![("a".to_string(), Trouble::Stale)]
        );
        assert!(Trouble::Stale.describe("a").contains("2 minutes"));
    }

    #[test]
    fn losing_the_server_clock_is_trouble_not_silence() {
        let t0 = crate::model::peers::freshness::parse_rfc3339("2026-11-27T09:00:00Z");
        let fresh = vec![p("a", "ACTIVE", Some("2026-11-27T09:00:00Z"))];
        assert_eq!(
            new_troubles(&fresh, t0, &fresh, None),
            vec![("a".to_string(), Trouble::Unknown)]
        );
        assert!(Trouble::Unknown.describe("a").contains("no Date header"));
        // Still unknown on the next poll: said once.
        assert_eq!(new_troubles(&fresh, None, &fresh, None), vec![]);
    }
}
