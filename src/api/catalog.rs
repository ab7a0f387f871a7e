//! Service names for pickers: this cluster's services and what a peer exports to us.
use super::client::{decode, encode, send};
use super::error::ApiError;
use super::peering::read_peering;
use gloo_net::http::Method;
use std::collections::{BTreeMap, BTreeSet};

/// `GET /v1/catalog/services`: names of this cluster's services.
pub async fn local_services() -> Result<Vec<String>, ApiError> {
    let reply = send(Method::GET, "/v1/catalog/services", None).await?;
    let map: BTreeMap<String, serde_json::Value> = decode(&reply)?;
    Ok(map.into_keys().collect())
}

/// Services imported from `peer`: the peering's `StreamStatus.ImportedServices` (1.14+) joined
/// with `GET /v1/catalog/services?peer=` (registered instances). Either may be missing or
/// forbidden; whatever is readable is used.
pub async fn imported_services(peer: &str) -> Result<Vec<String>, ApiError> {
    let mut names = BTreeSet::new();
    let from_stream = read_peering(peer).await;
    if let Ok((peering, _)) = &from_stream {
        names.extend(peering.stream().imported_services);
    }
    let path = format!("/v1/catalog/services?peer={}", encode(peer));
    let from_catalog = match send(Method::GET, &path, None).await {
        Ok(reply) => decode::<BTreeMap<String, serde_json::Value>>(&reply),
        Err(e) => Err(e),
    };
    match (from_stream, from_catalog) {
        (Err(e), Err(_)) => Err(e),
        (_, Ok(map)) => {
            names.extend(map.into_keys());
            Ok(names.into_iter().collect())
        }
        (Ok(_), Err(_)) => Ok(names.into_iter().collect()),
    }
}
