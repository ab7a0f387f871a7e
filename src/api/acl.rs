//! `/v1/acl/token/self` and `/v1/internal/acl/authorize`.
use super::client::{decode, send, send_with_token};
use super::error::ApiError;
use crate::model::consul::access::{AuthorizeCheck, Identity};
use gloo_net::http::Method;

/// `GET /v1/acl/token/self` with the given token (401 `ACL support disabled` when ACLs are off).
pub async fn token_self(token: Option<&str>) -> Result<Identity, ApiError> {
    let reply = match token {
        Some(t) => send_with_token(Method::GET, "/v1/acl/token/self", None, Some(t)).await?,
        None => send(Method::GET, "/v1/acl/token/self", None).await?,
    };
    decode(&reply)
}

/// `POST /v1/internal/acl/authorize`: the same checks back, each with `Allow`.
pub async fn authorize(checks: &[AuthorizeCheck]) -> Result<Vec<AuthorizeCheck>, ApiError> {
    let body = serde_json::to_string(checks)
        .map_err(|e| ApiError::Transport(format!("could not encode the request: {e}")))?;
    let reply = send(Method::POST, "/v1/internal/acl/authorize", Some(body)).await?;
    decode(&reply)
}

/// Whether the token may write intentions whose destination is `service`: `None` when unknown
/// (ACLs off, no destination yet, or the question failed), so the UI leaves it to Consul.
pub async fn may_write_intentions(service: &str) -> Option<bool> {
    if service.is_empty() {
        return None;
    }
    let mut check = AuthorizeCheck::new("intention", "write");
    check.segment = Some(service.to_string());
    authorize(&[check]).await.ok()?.first()?.allow
}
