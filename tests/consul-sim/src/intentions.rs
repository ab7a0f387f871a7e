//! `GET /v1/connect/intentions/check`: would a connection from one local
//! service to another be allowed, decided from the `service-intentions`
//! config entries, with the default that applies when none matches.
//!
//! Imitates `agent/intentions_endpoint.go` `IntentionCheck` (the query
//! parameters) and `agent/consul/intention_endpoint.go` `Intention.Check`
//! (ACL, default, decision through `state.Store.IntentionMatchOne` and
//! `IntentionDecision`), v1.18.0.

use serde_json::{json, Value};

use crate::acl::{Access, Authz};
use crate::http_util::{json, ApiError, ApiReq, ApiResult};
use crate::profile::{Change, Profile};
use crate::state::State;

/// The default when no intention matches (`agent/consul/util.go`
/// `DefaultIntentionAllow`, from v1.18.0): the agent's
/// `default_intention_policy` when set, else the token's
/// `IntentionDefaultAllow`, which comes from the ACL default policy (allow
/// with ACLs off: `acl.ManageAll`; `deny` here with ACLs on). Before 1.18
/// only the ACL default exists.
pub fn default_allow(profile: &Profile, authz: &Authz) -> bool {
    match profile.default_intention_policy {
        Some(p) if profile.has(Change::DefaultIntentionPolicy) => p.as_str() == "allow",
        _ => matches!(authz, Authz::Disabled),
    }
}

/// The last part of `[[partition/]namespace/]name`, as
/// `parseIntentionStringComponent` splits it (CE: only the default
/// namespace and partition exist).
fn name_part(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// The local (no peer, no sameness group) source with the highest precedence
/// that matches `source` and whose entry's destination matches
/// `destination`, with that entry's source JSON.
fn best_match<'a>(st: &'a State, source: &str, destination: &str) -> Option<&'a Value> {
    let entries = st.config_entries.get("service-intentions")?;
    let wild_or = |v: &str, want: &str| v == "*" || v == want;
    entries
        .iter()
        .filter(|(dest, _)| wild_or(dest, destination))
        .flat_map(|(_, e)| {
            e.get("Sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter(|src| {
            let f = |k: &str| src.get(k).and_then(Value::as_str).unwrap_or("");
            f("Peer").is_empty() && f("SamenessGroup").is_empty() && wild_or(f("Name"), source)
        })
        .max_by_key(|src| src.get("Precedence").and_then(Value::as_i64).unwrap_or(0))
}

/// `GET /v1/connect/intentions/check?source=&destination=`
pub async fn check(r: ApiReq) -> ApiResult {
    // The HTTP handler's checks (plain errors, answered by the agent itself).
    let source =
        r.q.get("source")
            .ok_or_else(|| ApiError::internal("required query parameter 'source' not set"))?;
    let destination =
        r.q.get("destination")
            .ok_or_else(|| ApiError::internal("required query parameter 'destination' not set"))?;
    let source_type = r.q.get("source-type").unwrap_or("consul");
    let (source, destination) = (name_part(source), name_part(destination));
    // The server's (`Intention.Check`): a client agent forwards them.
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    if source_type != "consul" {
        return Err(
            ApiError::internal(format!("unsupported SourceType: {source_type:?}")).forwarded(),
        );
    }
    authz
        .check("service", Access::Read, Some(destination))
        .map_err(|e| ApiError::internal(e).forwarded())?;
    // `IntentionDecision`: the matching intention's action; an intention with
    // L7 permissions counts as deny (`AllowPermissions: false`).
    let allowed = match best_match(&st, source, destination) {
        None => default_allow(&r.sim.cfg.profile, &authz),
        Some(src) => {
            let has_permissions = src
                .get("Permissions")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty());
            !has_permissions && src.get("Action").and_then(Value::as_str) == Some("allow")
        }
    };
    Ok(json(&r.q, &json!({ "Allowed": allowed }), None))
}
