//! `/v1/agent/self` (needs `agent:read`): the datacenter name when the page settings lack it,
//! and the agent's `default_intention_policy` (Consul 1.18+).
use super::client::{decode, send};
use super::error::ApiError;
use gloo_net::http::Method;
use serde_json::Value;

/// The agent's datacenter (`Config.Datacenter`).
pub async fn agent_datacenter() -> Result<Option<String>, ApiError> {
    let reply = send(Method::GET, "/v1/agent/self", None).await?;
    let body: Value = decode(&reply)?;
    Ok(body
        .pointer("/Config/Datacenter")
        .and_then(Value::as_str)
        .map(str::to_string))
}

/// The agent's `default_intention_policy` (`DebugConfig.DefaultIntentionPolicy`, Consul 1.18+):
/// `None` when unset or on an older Consul.
pub async fn agent_intention_policy() -> Result<Option<String>, ApiError> {
    let reply = send(Method::GET, "/v1/agent/self", None).await?;
    let body: Value = decode(&reply)?;
    Ok(body
        .pointer("/DebugConfig/DefaultIntentionPolicy")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_string))
}
