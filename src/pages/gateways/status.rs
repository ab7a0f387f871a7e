//! What the gateways page and the peers list share: this cluster's gateway settings and mesh
//! gateways, read together, and the warnings when peering traffic has no healthy gateway.
use crate::api::catalog::{service_health, service_summaries_visible};
use crate::api::config_entries::find_entry;
use crate::api::ApiError;
use crate::components::app_link::AppLink;
use crate::components::cluster::{use_cluster, Cluster};
use crate::components::loaded::{use_loaded, Loaded};
use crate::model::checks::lines::visible_gateways;
use crate::model::exports::entry::peers_named;
use crate::model::gateways::traffic::{
    gateway_instances, gateway_mode, gateway_services, gateway_warnings, missing_gateway,
    peer_through_gateways, GatewayFacts, GatewayInstance, MESH_KIND, MESH_NAME, PROXY_KIND,
    PROXY_NAME,
};
use crate::routes::Route;
use leptos::prelude::*;
use serde_json::Value;
use std::future::Future;

/// The two entries (`None`: not written yet), the gateway instances, and the peers this
/// cluster exports to (`None`: the token may not read exports).
#[derive(Clone, Debug, PartialEq)]
pub struct GatewayState {
    pub mesh: Option<Value>,
    pub proxy: Option<Value>,
    pub instances: Vec<GatewayInstance>,
    pub exporting_to: Option<Vec<String>>,
    /// Consul hid services from this token: a gateway may exist that it cannot see.
    pub services_hidden: bool,
}

impl GatewayState {
    pub fn facts(&self) -> GatewayFacts {
        GatewayFacts {
            peer_through: peer_through_gateways(self.mesh.as_ref()),
            mode: gateway_mode(self.proxy.as_ref()).ok(),
            exporting_to: self.exporting_to.clone().unwrap_or_default(),
            healthy: self.instances.iter().filter(|i| i.health.healthy()).count(),
            registered: self.instances.len(),
        }
    }
}

/// Reads `GET /v1/config/mesh`, `GET /v1/config/proxy-defaults`,
/// `GET /v1/internal/ui/services`, `GET /v1/health/service/:gateway` for each mesh gateway
/// service, and the exported-services entry (its failure only hides the export warning).
/// Call it inside a loader's closure: where the exports entry lives is read there (tracked).
pub fn load_gateway_state(
    cluster: Cluster,
) -> impl Future<Output = Result<GatewayState, ApiError>> {
    let exports = cluster.read_exports();
    async move { read_gateway_state(exports).await }
}

async fn read_gateway_state(
    exports: impl Future<Output = Result<Option<Value>, ApiError>>,
) -> Result<GatewayState, ApiError> {
    let mesh = find_entry(MESH_KIND, MESH_NAME, None).await?;
    let proxy = find_entry(PROXY_KIND, PROXY_NAME, None).await?;
    let mut instances = Vec::new();
    let summaries = service_summaries_visible().await?;
    for name in gateway_services(&summaries.list) {
        instances.extend(gateway_instances(&service_health(&name).await?));
    }
    let exporting_to = exports.await.ok().map(|e| peers_named(e.as_ref()));
    Ok(GatewayState {
        mesh,
        proxy,
        instances,
        exporting_to,
        services_hidden: summaries.filtered_by_acls,
    })
}

pub fn use_gateway_state() -> Loaded<GatewayState> {
    let cluster = use_cluster();
    use_loaded(move || load_gateway_state(cluster))
}

/// The warnings, from a state the page already loads, or loaded here (the peers list). Nothing
/// while loading or when the state cannot be read (the gateways page shows why).
#[component]
pub fn GatewayWarnings(
    #[prop(optional)] state: Option<Loaded<GatewayState>>,
    /// Link to the gateways page (the peers list).
    #[prop(optional)]
    link: bool,
) -> impl IntoView {
    let state = state.unwrap_or_else(use_gateway_state);
    move || {
        // No gateway seen by a token Consul hid services from is unknown, not missing: no alarm
        // (the gateways page says why).
        let facts = state.data.with(|s| {
            s.as_ref()
                .and_then(|s| visible_gateways(s.facts(), s.services_hidden).ok())
        })?;
        let warnings = gateway_warnings(&facts);
        (!warnings.is_empty()).then(|| {
            let items = warnings
                .iter()
                .map(|w| view! { <li>{w.text()}</li> })
                .collect_view();
            view! {
                <div class="notice warn stacked" role="status" data-testid="gateway-warning">
                    <strong>{format!("{}:", missing_gateway(&facts))}</strong>
                    <ul>{items}</ul>
                    {link.then(|| view! { <AppLink href=Route::Gateways>"See gateways"</AppLink> })}
                </div>
            }
        })
    }
}
