//! Is an ACTIVE peering really alive? Consul reports ACTIVE from its stream tracker even when the
//! newest heartbeat is old (hashicorp/consul#22868). Ages are measured against the server's clock;
//! without one (no `Date` header) nothing is judged live.
use crate::model::consul::clock::{http_date_seconds, rfc3339_seconds};
use crate::model::peers::peering::{Peering, PeeringState};

/// Consul's receive timeout: no heartbeat for this long means the stream is dead.
pub const HEARTBEAT_TIMEOUT_SECS: i64 = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Freshness {
    /// Not ACTIVE: the state itself says what is going on.
    NotApplicable,
    /// ACTIVE and heard from within the timeout.
    Live,
    /// ACTIVE but nothing received yet: Consul sends the first heartbeat after 15 s, so not alarming.
    NoHeartbeatYet,
    /// ACTIVE but the newest stream activity is older than the timeout.
    Stale { age_secs: i64 },
    /// ACTIVE and heard from, but there is no server clock to tell how long ago (Consul's
    /// answer had no `Date` header, e.g. a proxy dropped it): neither live nor stale.
    Unknown,
}

/// Why [`Freshness::Unknown`]: said wherever it is shown.
pub const NO_SERVER_CLOCK: &str = "Consul's answer carried no Date header (a proxy may have dropped it), so the age of the last heartbeat cannot be judged on Consul's clock";

/// Unix seconds of an RFC 3339 time. Unset times count as never: Go's zero time
/// (`0001-01-01T00:00:00Z`) and, from Consul 1.14 for a peering with no stream tracker yet,
/// the Unix epoch (`1970-01-01T00:00:00Z`).
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    rfc3339_seconds(text).filter(|t| *t > 0)
}

/// Unix seconds of an HTTP `Date` header.
pub fn parse_http_date(text: &str) -> Option<i64> {
    http_date_seconds(text)
}

/// A stream time worth showing as a time (an unset one is "never", not a date).
pub fn set_time(text: Option<&str>) -> Option<&str> {
    text.filter(|t| parse_rfc3339(t).is_some())
}

/// The newest sign of life: `LastHeartbeat`, else `LastReceive`.
pub fn last_activity(p: &Peering) -> Option<i64> {
    let s = p.stream();
    s.last_heartbeat
        .as_deref()
        .and_then(parse_rfc3339)
        .or_else(|| s.last_receive.as_deref().and_then(parse_rfc3339))
}

pub fn freshness(p: &Peering, server_now: Option<i64>) -> Freshness {
    if p.state != PeeringState::Active {
        return Freshness::NotApplicable;
    }
    match (last_activity(p), server_now) {
        (None, _) => Freshness::NoHeartbeatYet,
        // Fail closed: the browser's clock may be off by any amount.
        (Some(_), None) => Freshness::Unknown,
        (Some(t), Some(now)) if now - t > HEARTBEAT_TIMEOUT_SECS => {
            Freshness::Stale { age_secs: now - t }
        }
        (Some(_), Some(_)) => Freshness::Live,
    }
}

/// "just now", "45 s ago", "3 min ago", "2 h ago", "5 days ago".
pub fn relative_age(age_secs: i64) -> String {
    match age_secs {
        i64::MIN..=4 => "just now".into(),
        5..=59 => format!("{age_secs} s ago"),
        60..=3599 => format!("{} min ago", age_secs / 60),
        3600..=86_399 => format!("{} h ago", age_secs / 3600),
        _ => {
            let days = age_secs / 86_400;
            format!("{days} day{} ago", if days == 1 { "" } else { "s" })
        }
    }
}

/// A time relative to the server's clock, e.g. for "Last heartbeat".
pub fn describe_time(text: Option<&str>, server_now: Option<i64>) -> Option<String> {
    let t = parse_rfc3339(text?)?;
    Some(match server_now {
        Some(now) => relative_age(now - t),
        None => text?.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::peers::peering::Peering;

    fn peering(state: &str, heartbeat: Option<&str>, receive: Option<&str>) -> Peering {
        let json = serde_json::json!({
            "Name": "p", "State": state,
            "StreamStatus": {"LastHeartbeat": heartbeat, "LastReceive": receive}
        });
        serde_json::from_value(json).expect("fixture")
    }

    const NOW: &str = "Fri, 27 Nov 2026 09:10:00 GMT";

    #[test]
    fn parses_both_clocks() {
        let now = parse_http_date(NOW).expect("http date");
        assert_eq!(parse_rfc3339("2026-11-27T09:10:00Z"), Some(now));
        assert_eq!(
            parse_rfc3339("2026-11-27T10:10:00.123456789+01:00"),
            Some(now)
        );
        assert_eq!(parse_rfc3339("0001-01-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), None);
        assert_eq!(set_time(Some("1970-01-01T00:00:00Z")), None);
        assert_eq!(
            set_time(Some("2026-11-27T09:10:00Z")),
            Some("2026-11-27T09:10:00Z")
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_http_date("nope"), None);
    }

    #[test]
    fn active_with_recent_heartbeat_is_live() {
        let now = parse_http_date(NOW);
        let p = peering("ACTIVE", Some("2026-11-27T09:09:30Z"), None);
        assert_eq!(freshness(&p, now), Freshness::Live);
    }

    #[test]
    fn active_with_old_activity_is_stale() {
        let now = parse_http_date(NOW);
        let p = peering("ACTIVE", Some("2026-11-27T09:05:00Z"), None);
        assert_eq!(freshness(&p, now), Freshness::Stale { age_secs: 300 });
        // LastReceive counts when there is no heartbeat.
        let p = peering("ACTIVE", None, Some("2026-11-27T09:07:59Z"));
        assert_eq!(freshness(&p, now), Freshness::Stale { age_secs: 121 });
        let p = peering("ACTIVE", None, Some("2026-11-27T09:08:00Z"));
        assert_eq!(freshness(&p, now), Freshness::Live);
    }

    #[test]
    fn missing_heartbeat_alone_is_not_stale() {
        let p = peering("ACTIVE", None, None);
        assert_eq!(
            freshness(&p, parse_http_date(NOW)),
            Freshness::NoHeartbeatYet
        );
    }

    #[test]
    fn without_a_server_clock_nothing_is_live() {
        // Ten minutes old on any clock: without Consul's, neither Live nor Stale.
        let p = peering("ACTIVE", Some("2026-11-27T09:00:00Z"), None);
        assert_eq!(freshness(&p, None), Freshness::Unknown);
        let p = peering("ACTIVE", None, Some("2026-11-27T09:09:59Z"));
        assert_eq!(freshness(&p, None), Freshness::Unknown);
        let p = peering("ACTIVE", None, None);
        assert_eq!(freshness(&p, None), Freshness::NoHeartbeatYet);
        let p = peering("FAILING", Some("2026-11-27T09:00:00Z"), None);
        assert_eq!(freshness(&p, None), Freshness::NotApplicable);
    }

    #[test]
    fn other_states_are_not_judged() {
        let p = peering("FAILING", Some("2020-01-01T00:00:00Z"), None);
        assert_eq!(
            freshness(&p, parse_http_date(NOW)),
            Freshness::NotApplicable
        );
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(relative_age(0), "just now");
        assert_eq!(relative_age(45), "45 s ago");
        assert_eq!(relative_age(150), "2 min ago");
        assert_eq!(relative_age(7300), "2 h ago");
        assert_eq!(relative_age(86_400), "1 day ago");
        assert_eq!(relative_age(3 * 86_400), "3 days ago");
        assert_eq!(
            describe_time(Some("2026-11-27T09:09:00Z"), parse_http_date(NOW)).as_deref(),
            Some("1 min ago")
        );
        assert_eq!(describe_time(None, None), None);
    }
}
