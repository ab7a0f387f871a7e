//! The router: `/v1` API (with Consul's headers and gzip), `/_peer` and
//! `/_sim` private paths, and the UI for everything else.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::Router;
use tower_http::compression::predicate::SizeAbove;
use tower_http::compression::CompressionLayer;

use crate::http_util::{index_not_found, method_not_allowed, ApiError, Query};
use crate::profile::Change;
use crate::state::Sim;
use crate::ui::Ui;
use crate::{acl, agent, catalog, config_entries, faults, intentions, link, peering, simctl, ui};

/// A 405 answer for methods a route does not register.
fn mna(allow: &'static [&'static str]) -> impl Fn(Method) -> std::future::Ready<Response> + Clone {
    move |m: Method| std::future::ready(method_not_allowed(&m, allow))
}

async fn consul_headers(State(sim): State<Arc<Sim>>, req: Request, next: Next) -> Response {
    // `?dc=` naming another datacenter: there is no WAN here. The peering
    // handlers always use the agent's own datacenter and ignore it.
    let dc = Query::parse(req.uri().query())
        .get("dc")
        .map(|s| s.to_string())
        .unwrap_or_default();
    // Inside the nested router the path has lost its `/v1` prefix.
    let path = req.uri().path();
    let peering = path.starts_with("/peering") || path.starts_with("/v1/peering");
    let is_read = req.method() == axum::http::Method::GET;
    // With `--primary-datacenter`, the primary is reachable too: this
    // stand-in serves its requests itself (config entries written there
    // replicate to every datacenter, so what they read is the same).
    let known = dc.is_empty() || dc == sim.cfg.datacenter || dc == sim.cfg.primary_datacenter();
    let resp = if !known && !peering {
        // `structs.ErrNoDCPath`, returned by the server a client agent forwards to.
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "No path to datacenter")
            .forwarded()
            .into_response()
    } else {
        next.run(req).await
    };
    let mut resp = crate::http_util::render_error(&sim.cfg.profile, resp);
    if is_read && resp.status().is_success() && !resp.headers().contains_key("x-consul-index") {
        // Reads without a table of their own (agent/self, status) carry the
        // cluster-wide index, so every read has one.
        let idx = sim.lock().index;
        crate::http_util::set_index(&mut resp, idx);
    }
    let h = resp.headers_mut();
    let policy = if sim.cfg.acls_enabled() {
        "deny"
    } else {
        "allow"
    };
    h.insert(
        "x-consul-default-acl-policy",
        HeaderValue::from_static(policy),
    );
    h.insert("x-consul-knownleader", HeaderValue::from_static("true"));
    h.insert("x-consul-lastcontact", HeaderValue::from_static("0"));
    resp
}

/// `--response-header`: Consul's `http_config.response_headers`. The agent
/// sets them on every response it writes, API (`wrap`), UI
/// (`serveHandlerWithHeaders`) and `Index` alike, before the handler runs,
/// so a header the handler sets itself wins (`agent/http.go`, `setHeaders`).
async fn response_headers(State(sim): State<Arc<Sim>>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    for rh in &sim.cfg.response_headers {
        if !h.contains_key(&rh.name) {
            h.insert(rh.name.clone(), rh.value.clone());
        }
    }
    resp
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
pub fn gateway_router(sim: Arc<Sim>) -> Router {
    peer_routes().with_state(sim)
}

pub fn router(sim: Arc<Sim>, ui_cfg: Option<Ui>) -> Router {
    let mut v1 = Router::new()
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
        .route("/config", any(config_entries::apply))
        .route("/config/{kind}", any(config_entries::list))
        .route("/config/{kind}/{name}", any(config_entries::by_name))
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
            "/agent/service/register",
            put(catalog::agent_register).fallback(mna(&["PUT"])),
        )
        .route(
            "/agent/service/deregister/{id}",
            put(catalog::agent_deregister).fallback(mna(&["PUT"])),
        )
        .route(
            "/internal/ui/services",
            get(catalog::ui_services).fallback(mna(&["GET"])),
        )
        .route(
            "/internal/ui/exported-services",
            get(catalog::ui_exported_services).fallback(mna(&["GET"])),
        )
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
        .route(
            "/connect/intentions/check",
            get(intentions::check).fallback(mna(&["GET"])),
        );
    // Endpoints a version lacks are not registered, so they answer the
    // `Index` 404 like any unknown path.
    let profile = &sim.cfg.profile;
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
    let v1 = v1
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(sim.clone(), consul_headers))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .no_br()
                .no_deflate()
                .no_zstd()
                .compress_when(SizeAbove::new(1400)),
        )
        .with_state(sim.clone());
    let private = peer_routes()
        .route("/_sim/pause", post(simctl::pause))
        .route("/_sim/resume", post(simctl::resume))
        .route(
            "/_sim/faults",
            post(simctl::add_fault).delete(simctl::clear_faults),
        )
        .route("/_sim/stream", post(simctl::stream))
        .route("/_sim/peerings", post(simctl::bulk_peerings))
        .route("/_sim/check", post(simctl::set_check))
        .with_state(sim.clone());
    Router::new()
        .nest("/v1", v1)
        .merge(private)
        .fallback(ui::handle)
        .with_state((sim.clone(), ui_cfg))
        .layer(middleware::from_fn_with_state(
            sim.clone(),
            faults::middleware,
        ))
        .layer(middleware::from_fn_with_state(sim, response_headers))
}
