//! `/peers/:name/exported/:service`: "Why can't the peer see my service?" Everything the
//! exporting side controls, one line each, re-checked on a poll.
use crate::api::catalog::service_instances;
use crate::api::config_entries::list_entries_with_policy;
use crate::api::peering::read_peering as fetch_peering;
use crate::api::ApiError;
use crate::components::cluster::{use_cluster, Cluster};
use crate::components::loaded::use_polled;
use crate::model::checks::exporter::{export_checklist, ExportFacts, IntentionFacts};
use crate::model::checks::lines::{visible_gateways, visible_instances};
use crate::model::intentions::edit::KIND as INTENTIONS_KIND;
use crate::model::intentions::precedence::unmatched_default;
use crate::model::text::isolate;
use crate::pages::checks::check_list::ChecklistPage;
use crate::pages::gateways::{load_gateway_state, GatewayState};
use leptos::prelude::*;
use serde_json::Value;
use std::future::Future;

use super::reads::{peer_and_service, read, read_peering};

/// Every read at once; each failure only makes its own lines Unknown.
/// Called inside the poller's closure: the cluster's facts are read there (tracked).
fn load(
    peer: String,
    service: String,
    cluster: Cluster,
) -> impl Future<Output = Result<ExportFacts, ApiError>> {
    let exports = cluster.read_exports();
    let gateways = load_gateway_state(cluster);
    let agent = cluster.intention_policy();
    async move { load_facts(peer, service, exports, gateways, agent).await }
}

async fn load_facts(
    peer: String,
    service: String,
    exports: impl Future<Output = Result<Option<Value>, ApiError>>,
    gateways: impl Future<Output = Result<GatewayState, ApiError>>,
    agent: impl Future<Output = Option<Option<String>>>,
) -> Result<ExportFacts, ApiError> {
    let (instances, exports, peering, gateways, intentions, agent) = futures::join!(
        service_instances(&service, None),
        exports,
        fetch_peering(&peer),
        gateways,
        list_entries_with_policy(INTENTIONS_KIND),
        agent,
    );
    let (peering, server_now) = read_peering(peering);
    let intentions = intentions.map(|list| IntentionFacts {
        default: unmatched_default(
            agent.as_ref().map(Option::as_deref),
            list.default_policy.as_deref(),
        ),
        entries: list.entries,
        hidden: list.filtered_by_acls,
    });
    Ok(ExportFacts {
        instances: read(instances)
            .and_then(|i| visible_instances(&i.list, i.filtered_by_acls, &service)),
        // Hidden by ACLs: `find_entry` asks for the entry itself, whose 403 names mesh:read.
        exports: read(exports),
        peering,
        server_now,
        gateways: read(gateways).and_then(|g| visible_gateways(g.facts(), g.services_hidden)),
        intentions: read(intentions),
    })
}

#[component]
pub fn WhyExportPage() -> impl IntoView {
    let (peer, service) = peer_and_service();
    let cluster = use_cluster();
    let facts = use_polled(move || load(peer.get(), service.get(), cluster));
    let lines = Signal::derive(move || {
        facts
            .get()
            .map(|f| export_checklist(&service.get(), &peer.get(), &f))
            .unwrap_or_default()
    });
    view! {
        <ChecklistPage
            peer
            service
            question=move || view! { "Can " <bdi>{peer.get()}</bdi> " see " <bdi>{service.get()}</bdi> "?" }
            intro=move || view! {
                "What must hold in this cluster for " <bdi>{peer.get()}</bdi> " to import "
                <bdi>{service.get()}</bdi> " and call it. \
                 Every line is checked again every few seconds: follow a line's link to fix it, then come back."
            }
            label=Signal::derive(move || format!("Checks for {} and {}", isolate(&service.get()), isolate(&peer.get())))
            lines
            status=facts.status()
            updated=Signal::derive(move || facts.poller.and_then(|p| p.updated_label()))
            on_again=facts.retry()
        />
    }
}
