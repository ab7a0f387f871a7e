//! The router: `/v1` API (with Consul's headers and gzip), `/_peer` and
//! `/_sim` private paths, and the UI for everything else. The layers it
//! wraps them in are in [`crate::layers`].

use std::sync::Arc;

use axum::http::Method;
use axum::middleware;
use axum::response::Response;
use axum::routing::{any, get, post, put};
use axum::Router;
use tower_http::compression::predicate::SizeAbove;
use tower_http::compression::CompressionLayer;

use crate::http_util::{index_not_found, method_not_allowed};
use crate::layers::Audience;
use crate::profile::{Change, Profile};
use crate::state::Sim;
use crate::ui::Ui;
use crate::{acl, agent, catalog, config_entries, intentions, layers, link, peering, simctl, ui};

/// A 405 answer for methods a route does not register.
fn mna(allow: &'static [&'static str]) -> impl Fn(Method) -> std::future::Ready<Response> + Clone {
    move |m: Method| std::future::ready(method_not_allowed(&m, allow))
}

/// An unknown `/v1` path (or an endpoint the profile's version lacks).
async fn not_found() -> Response {
    index_not_found("/v1/")
}

/// The peer-to-peer paths (the stand-in's "gRPC" for peering).
fn peer_routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/_peer/exchange", post(link::handle_exchange))
        .route("/_peer/heartbeat", post(link::handle_heartbeat))
        .route("/_peer/terminate", post(link::handle_terminate))
        .route("/_peer/poke", post(link::handle_poke))
}

/// What the demo mesh gateway's own port serves: the peer-to-peer paths of
/// this server and nothing else, as a mesh gateway forwards peering
/// control-plane traffic to the servers' gRPC port and serves no HTTP API.
/// Only requests addressed to that port pass (`layers::guard`).
pub(crate) fn gateway_router(sim: Arc<Sim>, audience: Audience) -> Router {
    peer_routes()
        .with_state(sim)
        .layer(middleware::from_fn_with_state(
            Arc::new(audience),
            layers::guard,
        ))
}

/// Everything one instance serves: `/v1` (with Consul's headers and gzip),
/// the `/_peer` and `/_sim` paths and the UI, inside the fault rules and
/// `--response-header`, the old Go mux's redirect of unclean paths (before
/// 1.20) and, outermost, the guard against other sites' requests.
pub(crate) fn router(sim: Arc<Sim>, ui_cfg: Option<Ui>, audience: Audience) -> Router {
    let v1 = v1_routes(&sim.cfg.profile)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            sim.clone(),
            layers::consul_headers,
        ))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .no_br()
                .no_deflate()
                .no_zstd()
                .compress_when(SizeAbove::new(1400)),
        )
        .with_state(sim.clone());
    let private = peer_routes().merge(sim_routes()).with_state(sim.clone());
    Router::new()
        .nest("/v1", v1)
        .merge(private)
        .fallback(ui::handle)
        .with_state((sim.clone(), ui_cfg))
        .layer(middleware::from_fn_with_state(sim.clone(), layers::faults))
        .layer(middleware::from_fn_with_state(
            sim.clone(),
            layers::response_headers,
        ))
        .layer(middleware::from_fn_with_state(sim, layers::go_mux_redirect))
        .layer(middleware::from_fn_with_state(
            Arc::new(audience),
            layers::guard,
        ))
}

/// The `/v1` API (paths without the prefix). Endpoints a version lacks are
/// not registered, so they answer the `Index` 404 like any unknown path.
fn v1_routes(profile: &Profile) -> Router<Arc<Sim>> {
    let mut v1 = Router::new()
        .merge(agent_routes())
        .merge(peering_routes())
        .merge(config_routes())
        .merge(catalog_routes())
        .merge(acl_routes())
        .route(
            "/connect/intentions/check",
            get(intentions::check).fallback(mna(&["GET"])),
        );
    if profile.has(Change::ExportedServicesApi) {
        v1 = v1.route(
            "/exported-services",
            get(catalog::exported_services).fallback(mna(&["GET"])),
        );
    }
    if profile.has(Change::ImportedServicesApi) {
        v1 = v1.route(
            "/imported-services",
            get(catalog::imported_services).fallback(mna(&["GET"])),
        );
    }
    v1
}

/// Agent and status.
fn agent_routes() -> Router<Arc<Sim>> {
    Router::new()
        .route(
            "/agent/self",
            get(agent::agent_self).fallback(mna(&["GET"])),
        )
        .route(
            "/status/leader",
            get(agent::status_leader).fallback(mna(&["GET"])),
        )
        .route(
            "/status/peers",
            get(agent::status_peers).fallback(mna(&["GET"])),
        )
        .route(
            "/catalog/datacenters",
            get(agent::datacenters).fallback(mna(&["GET"])),
        )
        .route(
            "/agent/service/register",
            put(catalog::agent_register).fallback(mna(&["PUT"])),
        )
        .route(
            "/agent/service/deregister/{id}",
            put(catalog::agent_deregister).fallback(mna(&["PUT"])),
        )
}

/// The peering endpoints.
fn peering_routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/peerings", get(peering::list).fallback(mna(&["GET"])))
        .route(
            "/peering/token",
            post(peering::generate).fallback(mna(&["POST"])),
        )
        .route(
            "/peering/establish",
            post(peering::establish).fallback(mna(&["POST"])),
        )
        .route("/peering/", any(peering::no_name))
        .route("/peering/{*name}", any(peering::by_name))
}

/// Config entries.
fn config_routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/config", any(config_entries::apply))
        .route("/config/{kind}", any(config_entries::list))
        .route("/config/{kind}/{name}", any(config_entries::by_name))
}

/// Catalog, health and the UI-internal lists.
fn catalog_routes() -> Router<Arc<Sim>> {
    Router::new()
        .route(
            "/catalog/register",
            put(catalog::catalog_register).fallback(mna(&["PUT"])),
        )
        .route(
            "/catalog/deregister",
            put(catalog::catalog_deregister).fallback(mna(&["PUT"])),
        )
        .route(
            "/catalog/services",
            get(catalog::catalog_services).fallback(mna(&["GET"])),
        )
        .route(
            "/catalog/service/{name}",
            get(catalog::catalog_service).fallback(mna(&["GET"])),
        )
        .route(
            "/health/service/{name}",
            get(catalog::health_service).fallback(mna(&["GET"])),
        )
        .route(
            "/internal/ui/services",
            get(catalog::ui_services).fallback(mna(&["GET"])),
        )
        .route(
            "/internal/ui/exported-services",
            get(catalog::ui_exported_services).fallback(mna(&["GET"])),
        )
}

/// ACL policies, tokens and `authorize`.
fn acl_routes() -> Router<Arc<Sim>> {
    Router::new()
        .route(
            "/acl/policy",
            put(acl::policy_create).fallback(mna(&["PUT"])),
        )
        .route("/acl/policy/{id}", any(acl::policy_by_id))
        .route(
            "/acl/policies",
            get(acl::policy_list).fallback(mna(&["GET"])),
        )
        .route("/acl/token", put(acl::token_create).fallback(mna(&["PUT"])))
        .route(
            "/acl/token/self",
            get(acl::token_self).fallback(mna(&["GET"])),
        )
        .route("/acl/token/{id}", any(acl::token_by_id))
        .route("/acl/tokens", get(acl::token_list).fallback(mna(&["GET"])))
        .route(
            "/internal/acl/authorize",
            post(acl::authorize).fallback(mna(&["POST"])),
        )
}

/// The stand-in's own control paths.
fn sim_routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/_sim/pause", post(simctl::pause))
        .route("/_sim/resume", post(simctl::resume))
        .route(
            "/_sim/faults",
            post(simctl::add_fault).delete(simctl::clear_faults),
        )
        .route("/_sim/stream", post(simctl::stream))
        .route("/_sim/peerings", post(simctl::bulk_peerings))
        .route("/_sim/check", post(simctl::set_check))
}
