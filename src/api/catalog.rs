//! Service names for pickers: this cluster's services and what a peer exports to us.
use super::client::{decode, send};
use super::error::ApiError;
use super::peering::{self, read_peering};
use gloo_net::http::Method;
use std::collections::{BTreeMap, BTreeSet};

/// `GET /v1/catalog/services`: names of this cluster's services.
pub async fn local_services() -> Result<Vec<String>, ApiError> {
    let reply = send(Method::GET, "/v1/catalog/services", None).await?;
    let map: BTreeMap<String, serde_json::Value> = decode(&reply)?;
    Ok(map.into_keys().collect())
}

/// Services imported from `peer`: the peering's `StreamStatus.ImportedServices` joined with
/// `GET /v1/internal/ui/services?peer=` (what has instances). Not `/v1/catalog/services?peer=`:
/// Consul ignores `peer` there (agent/catalog_endpoint.go `CatalogServices` never reads it) and
/// answers with this cluster's own services. Either source may be missing or forbidden;
/// whatever is readable is used.
pub async fn imported_services(peer: &str) -> Result<Vec<String>, ApiError> {
    let mut names = BTreeSet::new();
    let from_stream = read_peering(peer).await;
    if let Ok((peering, _)) = &from_stream {
        names.extend(peering.stream().imported_services);
    }
    let from_ui = peering::imported_services(peer).await;
    match (from_stream, from_ui) {
        (Err(e), Err(_)) => Err(e),
        (_, Ok(list)) => {
            names.extend(list.into_iter().map(|s| s.name));
            Ok(names.into_iter().collect())
        }
        (Ok(_), Err(_)) => Ok(names.into_iter().collect()),
    }
}

/// `GET /v1/internal/ui/services`: every service of this cluster with its `Kind` and health
/// counts (`ServiceListingSummary`, agent/ui_endpoint.go; how the official UI lists gateways),
/// and whether Consul hid services from this token (it filters by ACLs).
pub async fn service_summaries_visible() -> Result<Instances, ApiError> {
    let reply = send(Method::GET, "/v1/internal/ui/services", None).await?;
    let list: Option<Vec<serde_json::Value>> = decode(&reply)?;
    Ok(Instances {
        list: list.unwrap_or_default(),
        filtered_by_acls: reply.filtered_by_acls,
    })
}

/// `GET /v1/health/service/:name`: every instance of one service with its node and checks.
pub async fn service_health(name: &str) -> Result<Vec<serde_json::Value>, ApiError> {
    let path = format!("/v1/health/service/{}", super::client::encode(name));
    let reply = send(Method::GET, &path, None).await?;
    let list: Option<Vec<serde_json::Value>> = decode(&reply)?;
    Ok(list.unwrap_or_default())
}

/// A list (instances, or service summaries), and whether Consul hid some from this token: reads
/// are filtered by ACLs (`X-Consul-Results-Filtered-By-ACLs`), not refused, so an empty list may only
/// mean "not allowed to see".
#[derive(Clone, Debug, PartialEq)]
pub struct Instances {
    pub list: Vec<serde_json::Value>,
    pub filtered_by_acls: bool,
}

/// `GET /v1/health/service/:name[?peer=]`: this cluster's instances, or with `peer` those
/// imported from it, with the health their cluster reports (Consul 1.14+ answers `peer` here).
pub async fn service_instances(name: &str, peer: Option<&str>) -> Result<Instances, ApiError> {
    let path = format!(
        "/v1/health/service/{}{}",
        super::client::encode(name),
        crate::url::query(&[("peer", peer)])
    );
    let reply = send(Method::GET, &path, None).await?;
    let list: Option<Vec<serde_json::Value>> = decode(&reply)?;
    Ok(Instances {
        list: list.unwrap_or_default(),
        filtered_by_acls: reply.filtered_by_acls,
    })
}
