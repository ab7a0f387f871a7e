//! `/peers/:name/imported/:service`: "Why can't my service call theirs?" What the importing side
//! can see, one line each, and the intention to ask the exporting cluster for.
use crate::api::catalog::{imported_services, service_instances};
use crate::api::peering::read_peering as fetch_peering;
use crate::api::ApiError;
use crate::components::cluster::{use_cluster, Cluster};
use crate::components::loaded::use_polled;
use crate::model::checks::importer::{import_checklist, ImportFacts};
use crate::model::checks::lines::{visible_gateways, visible_instances};
use crate::model::text::isolate;
use crate::pages::checks::check_list::ChecklistPage;
use crate::pages::gateways::load_gateway_state;
use crate::pages::gateways::GatewayState;
use leptos::prelude::*;
use std::future::Future;

use super::ask_intention::AskIntention;
use super::reads::{peer_and_service, read, read_peering};

/// Every read at once; each failure only makes its own lines Unknown.
/// Called inside the poller's closure: where the exports entry lives is read there (tracked).
fn load(
    peer: String,
    service: String,
    cluster: Cluster,
) -> impl Future<Output = Result<ImportFacts, ApiError>> {
    let gateways = load_gateway_state(cluster);
    async move { load_facts(peer, service, gateways).await }
}

async fn load_facts(
    peer: String,
    service: String,
    gateways: impl Future<Output = Result<GatewayState, ApiError>>,
) -> Result<ImportFacts, ApiError> {
    let (imported, instances, peering, gateways) = futures::join!(
        imported_services(&peer),
        service_instances(&service, Some(&peer)),
        fetch_peering(&peer),
        gateways,
    );
    let (peering, server_now) = read_peering(peering);
    Ok(ImportFacts {
        imported: read(imported),
        instances: read(instances)
            .and_then(|i| visible_instances(&i.list, i.filtered_by_acls, &service)),
        peering,
        server_now,
        gateways: read(gateways).and_then(|g| visible_gateways(g.facts(), g.services_hidden)),
    })
}

#[component]
pub fn WhyImportPage() -> impl IntoView {
    let (peer, service) = peer_and_service();
    let cluster = use_cluster();
    let facts = use_polled(move || load(peer.get(), service.get(), cluster));
    let lines = Signal::derive(move || {
        facts
            .get()
            .map(|f| import_checklist(&service.get(), &peer.get(), &f))
            .unwrap_or_default()
    });
    view! {
        <ChecklistPage
            peer
            service
            question=move || view! { "Can this cluster call " <bdi>{service.get()}</bdi> " from " <bdi>{peer.get()}</bdi> "?" }
            intro=move || view! {
                "What this cluster can check about calling " <bdi>{service.get()}</bdi> " in "
                <bdi>{peer.get()}</bdi> ". Every line is checked again every few seconds."
            }
            label=Signal::derive(move || format!("Checks for {} from {}", isolate(&service.get()), isolate(&peer.get())))
            lines
            status=facts.status()
            updated=Signal::derive(move || facts.poller.and_then(|p| p.updated_label()))
            on_again=facts.retry()
        >
            {move || view! { <AskIntention peer=peer.get() service=service.get() /> }}
        </ChecklistPage>
    }
}
