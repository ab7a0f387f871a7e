//! Command-line flags.

use std::path::PathBuf;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue};
use clap::Parser;

use crate::profile::{Change, ConsulVersion, IntentionPolicy, Profile};

/// A stateful stand-in for the part of Consul's HTTP API used by the peering console.
#[derive(Parser, Debug, Clone)]
#[command(name = "consul-sim", version)]
pub(crate) struct Cli {
    /// Address to listen on (`127.0.0.1:0` lets the OS pick a port).
    #[arg(long, default_value = "127.0.0.1:8500")]
    pub(crate) listen: String,
    /// Datacenter name of this simulated cluster.
    #[arg(long, default_value = "dc1")]
    pub(crate) datacenter: String,
    /// Serve this directory as the UI (like `ui_config.dir`).
    #[arg(long)]
    pub(crate) ui_dir: Option<PathBuf>,
    /// UI content path (like `ui_config.content_path`).
    #[arg(long, default_value = "/ui/")]
    pub(crate) ui_content_path: String,
    /// Persist state to DIR/state.json and reload it at start.
    #[arg(long)]
    pub(crate) data_dir: Option<PathBuf>,
    /// Interval between peering heartbeats (Go duration).
    #[arg(long, default_value = "15s", value_parser = parse_duration)]
    pub(crate) heartbeat_interval: Duration,
    /// A peering without heartbeat for this long becomes FAILING.
    #[arg(long, default_value = "2m", value_parser = parse_duration)]
    pub(crate) heartbeat_timeout: Duration,
    /// Time a deleted peering stays DELETING before it is removed.
    #[arg(long, default_value = "3s", value_parser = parse_duration)]
    pub(crate) delete_delay: Duration,
    /// Turn on default-deny ACLs with this management token.
    #[arg(long)]
    pub(crate) acl_initial_management_token: Option<String>,
    /// Answer peering endpoints as a Consul with `peering.enabled = false`.
    #[arg(long)]
    pub(crate) peering_disabled: bool,
    /// A fault rule (same JSON as `POST /_sim/faults`); repeatable.
    #[arg(long)]
    pub(crate) fault: Vec<String>,
    /// A header added to every response, UI and API alike, like Consul's
    /// `http_config.response_headers`; `'Name: value'`, repeatable.
    #[arg(long, value_name = "'NAME: VALUE'", value_parser = parse_response_header)]
    pub(crate) response_header: Vec<ResponseHeader>,
    /// Answer as this Consul release line (texts, error wrappers, zero times,
    /// name rules, endpoints).
    #[arg(long, value_enum, default_value_t = ConsulVersion::V1_22, value_name = "VERSION")]
    consul_version: ConsulVersion,
    /// Answer as a client agent that forwards to the servers.
    #[arg(long)]
    pub(crate) client_agent: bool,
    /// The agent's `default_intention_policy` (Consul 1.18+).
    #[arg(long, value_enum, value_name = "allow|deny")]
    pub(crate) default_intention_policy: Option<IntentionPolicy>,
    /// The primary datacenter; another name than `--datacenter` makes this
    /// datacenter a secondary.
    #[arg(long, value_name = "NAME")]
    pub(crate) primary_datacenter: Option<String>,
    /// Also answer requests whose `Host` is exactly this (`name:port`, or
    /// `name` for port 80); repeatable. Loopback names with the listening
    /// port, and names without a dot, are always answered.
    #[arg(long, value_name = "HOST")]
    pub(crate) allowed_host: Vec<String>,
    /// Seed data set (`demo`).
    #[arg(long)]
    pub(crate) seed: Option<String>,
    /// Peer name the demo seed exports services to.
    #[arg(long)]
    pub(crate) seed_peer: Option<String>,
}

impl Cli {
    /// Checks the flags that depend on each other: Consul before 1.18 has no
    /// `default_intention_policy` and refuses to start with it (an unknown
    /// config key).
    pub(crate) fn check(&self) -> Result<(), String> {
        let profile = self.profile();
        if self.default_intention_policy.is_some() && !profile.has(Change::DefaultIntentionPolicy) {
            return Err(format!(
                "--default-intention-policy needs --consul-version 1.18 or newer (got {})",
                profile.version.number()
            ));
        }
        Ok(())
    }

    /// The Consul these flags describe.
    pub(crate) fn profile(&self) -> Profile {
        Profile {
            version: self.consul_version,
            client_agent: self.client_agent,
            default_intention_policy: self.default_intention_policy,
            primary_datacenter: self
                .primary_datacenter
                .clone()
                .filter(|p| !p.is_empty() && *p != self.datacenter),
        }
    }
}

/// One `--response-header`.
#[derive(Debug, Clone)]
pub(crate) struct ResponseHeader {
    pub(crate) name: HeaderName,
    pub(crate) value: HeaderValue,
}

/// Parses `Name: value` (the value may be empty; spaces around it are dropped).
fn parse_response_header(s: &str) -> Result<ResponseHeader, String> {
    let (name, value) = s
        .split_once(':')
        .ok_or_else(|| format!("expected 'Name: value', got {s:?}"))?;
    let name = name.trim();
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("{name:?} is not a valid header name"))?;
    let value = HeaderValue::from_str(value.trim())
        .map_err(|_| format!("the value for {name} is not a valid header value"))?;
    Ok(ResponseHeader { name, value })
}

/// Parses a Go-style duration such as `500ms`, `15s`, `2m`, `1h30m`, `1.5s`.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("missing unit in duration {s:?}"))?;
        if num_len == 0 {
            return Err(format!("invalid duration {s:?}"));
        }
        let num: f64 = rest[..num_len]
            .parse()
            .map_err(|_| format!("invalid duration {s:?}"))?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let mult = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            u => return Err(format!("unknown unit {u:?} in duration {s:?}")),
        };
        total += num * mult;
        rest = &rest[unit_len..];
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("15s").unwrap(), Duration::from_secs(15));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("5").is_err());
    }

    #[test]
    fn response_headers() {
        let h = parse_response_header("Content-Security-Policy: script-src 'self'").unwrap();
        assert_eq!(h.name, "content-security-policy");
        assert_eq!(h.value, "script-src 'self'");
        assert_eq!(parse_response_header("X-Empty:").unwrap().value, "");
        assert_eq!(
            parse_response_header("X-Frame-Options DENY").unwrap_err(),
            "expected 'Name: value', got \"X-Frame-Options DENY\""
        );
        assert_eq!(
            parse_response_header("Bad Name: v").unwrap_err(),
            "\"Bad Name\" is not a valid header name"
        );
        assert_eq!(
            parse_response_header(": v").unwrap_err(),
            "\"\" is not a valid header name"
        );
        assert!(parse_response_header("X-Nl: a\u{7}b").is_err());
    }
}
