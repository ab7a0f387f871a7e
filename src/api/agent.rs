//! `/v1/agent/self` (needs `agent:read`): the datacenter names when the page settings lack
//! them, and the agent's `default_intention_policy` (Consul 1.18+).
use super::client::{decode, send};
use super::error::ApiError;
use crate::model::consul::cluster::AgentSelf;
use gloo_net::http::Method;
use serde_json::Value;

/// What the agent says about its cluster (`agent/agent_endpoint.go`, `AgentSelf`).
pub async fn agent_self() -> Result<AgentSelf, ApiError> {
    let reply = send(Method::GET, "/v1/agent/self", None).await?;
    let body: Value = decode(&reply)?;
    Ok(AgentSelf::from_json(&body))
}
