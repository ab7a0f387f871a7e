//! `/v1/config/...` endpoints. Entries are kept as JSON values so fields this console does not
//! show survive a read-modify-write untouched.
use super::client::{decode, encode, send};
use super::error::ApiError;
use gloo_net::http::Method;

/// `GET /v1/config/:kind` — every entry of one kind, as Consul sent it.
pub async fn list_entries(kind: &str) -> Result<Vec<serde_json::Value>, ApiError> {
    let reply = send(Method::GET, &format!("/v1/config/{}", encode(kind)), None).await?;
    let list: Option<Vec<serde_json::Value>> = decode(&reply)?;
    Ok(list.unwrap_or_default())
}
