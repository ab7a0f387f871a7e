//! `/v1/peering*` endpoints.
use super::client::{decode, encode, send, Reply};
use super::error::ApiError;
use crate::model::peering::{parse_peerings, Peering};
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
    let reply = send(Method::GET, "/v1/peerings", None).await?;
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
    Ok((decode(&reply)?, reply))
}
