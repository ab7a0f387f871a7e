//! `/v1/peering*` endpoints.
use super::client::{decode, encode, send, Reply};
use super::error::ApiError;
use crate::model::peers::peering::{parse_peerings, Peering};
use gloo_net::http::Method;

/// A list with the server's clock and whether ACLs hid some entries.
#[derive(Clone, Debug, PartialEq)]
pub struct PeeringList {
    pub peerings: Vec<Peering>,
    pub server_date: Option<String>,
    pub filtered_by_acls: bool,
}

/// `GET /v1/peerings`
pub async fn list_peerings() -> Result<PeeringList, ApiError> {
    // The peers page's first list was asked for by the loader while the wasm downloaded.
    let reply = match super::client::take_prefetched("/v1/peerings").await {
        Some(answer) => answer?,
        None => send(Method::GET, "/v1/peerings", None).await?,
    };
    let peerings = parse_peerings(&reply.body).map_err(|e| ApiError::Malformed {
        status: reply.status,
        detail: format!("expected a list of peerings: {e}"),
    })?;
    Ok(PeeringList {
        peerings,
        server_date: reply.server_date,
        filtered_by_acls: reply.filtered_by_acls,
    })
}

/// `GET /v1/peering/:name`
pub async fn read_peering(name: &str) -> Result<(Peering, Reply), ApiError> {
    let reply = send(Method::GET, &format!("/v1/peering/{}", encode(name)), None).await?;
    let peering: Peering = decode(&reply)?;
    // An answer about another peering is never one to act on (a rewritten path reads another).
    same_name(name, &peering.name)?;
    Ok((peering, reply))
}

/// `Err(Mismatch)` unless the answer names the object asked for.
pub(crate) fn same_name(asked: &str, answered: &str) -> Result<(), ApiError> {
    if asked == answered {
        Ok(())
    } else {
        Err(ApiError::Mismatch {
            asked: asked.to_string(),
            answered: answered.to_string(),
        })
    }
}

/// Body of `POST /v1/peering/token`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct GenerateTokenRequest {
    #[serde(rename = "PeerName")]
    pub peer_name: String,
    #[serde(
        rename = "Meta",
        skip_serializing_if = "std::collections::BTreeMap::is_empty"
    )]
    pub meta: std::collections::BTreeMap<String, String>,
    #[serde(
        rename = "ServerExternalAddresses",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub server_external_addresses: Vec<String>,
}

/// Body of `POST /v1/peering/establish`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct EstablishRequest {
    #[serde(rename = "PeerName")]
    pub peer_name: String,
    #[serde(rename = "PeeringToken")]
    pub peering_token: String,
    #[serde(
        rename = "Meta",
        skip_serializing_if = "std::collections::BTreeMap::is_empty"
    )]
    pub meta: std::collections::BTreeMap<String, String>,
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value)
        .map_err(|e| ApiError::Transport(format!("could not encode the request: {e}")))
}

/// `POST /v1/peering/token` — creates the peering (or rotates its secret) and returns the token.
pub async fn generate_token(request: &GenerateTokenRequest) -> Result<String, ApiError> {
    #[derive(serde::Deserialize)]
    struct Answer {
        #[serde(rename = "PeeringToken")]
        peering_token: String,
    }
    let reply = send(Method::POST, "/v1/peering/token", Some(to_json(request)?)).await?;
    Ok(decode::<Answer>(&reply)?.peering_token)
}

/// `POST /v1/peering/establish` — dials the cluster that generated the token.
pub async fn establish_peering(request: &EstablishRequest) -> Result<(), ApiError> {
    send(
        Method::POST,
        "/v1/peering/establish",
        Some(to_json(request)?),
    )
    .await
    .map(|_| ())
}

/// `DELETE /v1/peering/:name` — marks it for deletion; Consul removes it asynchronously.
pub async fn delete_peering(name: &str) -> Result<(), ApiError> {
    send(
        Method::DELETE,
        &format!("/v1/peering/{}", encode(name)),
        None,
    )
    .await
    .map(|_| ())
}

/// A service imported from a peer, as `/v1/internal/ui/services?peer=X` summarises it.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct ImportedService {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "InstanceCount")]
    pub instance_count: u64,
    #[serde(rename = "ChecksPassing")]
    pub checks_passing: u64,
    #[serde(rename = "ChecksWarning")]
    pub checks_warning: u64,
    #[serde(rename = "ChecksCritical")]
    pub checks_critical: u64,
}

/// `GET /v1/internal/ui/services?peer=X` — what this cluster imports from one peer, with health.
pub async fn imported_services(peer: &str) -> Result<Vec<ImportedService>, ApiError> {
    let reply = send(
        Method::GET,
        &format!("/v1/internal/ui/services?peer={}", encode(peer)),
        None,
    )
    .await?;
    let list: Option<Vec<ImportedService>> = decode(&reply)?;
    Ok(list.unwrap_or_default())
}
