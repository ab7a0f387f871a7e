//! `GET /v1/connect/intentions/check`: would a connection from one local
//! service to another be allowed, decided from the `service-intentions`
//! config entries ([`crate::rules::intentions::decision`]), with the default
//! that applies when none matches.
//!
//! Imitates `agent/intentions_endpoint.go` `IntentionCheck` (the query
//! parameters) and `agent/consul/intention_endpoint.go` `Intention.Check`
//! (ACL, default, decision), v1.18.0.

use serde_json::json;

use crate::acl::{Access, Authz};
use crate::http_util::{json, ApiError, ApiReq, ApiResult};
use crate::rules::intentions::{decision, default_allow, name_part};

/// `GET /v1/connect/intentions/check?source=&destination=`
pub(crate) async fn check(r: ApiReq) -> ApiResult {
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
    let allowed = decision(&st, source, destination)
        .unwrap_or_else(|| default_allow(&r.sim.cfg.profile, matches!(authz, Authz::Disabled)));
    Ok(json(&r.q, &json!({ "Allowed": allowed }), None))
}
