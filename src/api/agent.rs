//! `/v1/agent/self`: only a fallback for the datacenter name, since it needs `agent:read`.
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
