//! `/map`: this cluster and its peers as a picture, live, with the same data as a table.
use crate::api::config_entries::list_entries;
use crate::api::peering::list_peerings;
use crate::components::cluster::use_cluster;
use crate::components::guard::GuardedLink;
use crate::components::loaded::{use_loaded, use_polled, LoadedView};
use crate::model::consul::access::PEERING_WRITE;
use crate::model::failover::resolver::{naming_peers, KIND};
use crate::model::map::layout::map_peers;
use crate::model::peers::freshness::parse_http_date;
use crate::pages::map::drawing::PeerMap;
use crate::pages::map::table::PeerMapTable;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn MapPage() -> impl IntoView {
    // Polled like the peers list, so a peering that goes bad shows without a reload.
    let peerings = use_polled(list_peerings);
    // Failover targets change rarely: read once (and again on Refresh).
    let resolvers = use_loaded(|| list_entries(KIND));
    let poller = peerings.poller;
    let server_now = Signal::derive(move || {
        peerings.data.with(|l| {
            l.as_ref()
                .and_then(|l| l.server_date.as_deref())
                .and_then(parse_http_date)
        })
    });
    let peers = Memo::new(move |_| {
        let views = resolvers
            .data
            .with(|e| naming_peers(e.as_deref().unwrap_or_default()));
        peerings.data.with(|l| {
            l.as_ref()
                .map(|l| {
                    map_peers(
                        &l.peerings,
                        l.server_date.as_deref().and_then(parse_http_date),
                        &views,
                    )
                })
                .unwrap_or_default()
        })
    });
    let is_empty = Memo::new(move |_| peers.with(Vec::is_empty));
    let cluster = use_cluster();
    let centre = Signal::derive(move || {
        cluster
            .datacenter()
            .unwrap_or_else(|| "This cluster".to_string())
    });
    let table_open = RwSignal::new(false);
    let refresh = move |_| {
        peerings.refetch();
        resolvers.refetch();
    };
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"Map"</h1>
                <div class="header-actions">
                    <span class="updated" aria-live="off">{move || poller.and_then(|p| p.updated_label())}</span>
                    <button type="button" class="secondary" on:click=refresh>"Refresh"</button>
                </div>
            </div>
            <p class="intro">
                "This cluster in the middle, each peer around it, the unhealthy ones nearest. Each link is drawn in the "
                "peering's state and carries the services imported from and exported to the peer, and how many local "
                "services fail over to it. Select a peer to open its page."
            </p>
            {move || resolvers.error.get().map(|e| view! {
                <p class="notice warn" role="status">{format!("Failover targets are not shown: the service-resolver entries could not be read ({e}).")}</p>
            })}
            <LoadedView loaded=peerings.status() what="peers">
                {move || if is_empty.get() {
                    view! {
                        <div class="empty-state">
                            <h2>"No peer connections yet"</h2>
                            <p>"The map shows this cluster's peers once there is a peering."</p>
                            <GuardedLink permission=PEERING_WRITE href=Route::add_peer()>"Add peer connection"</GuardedLink>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <PeerMap peers=peers.into() centre />
                        // Rendered only when opened: at 1,000 peers the table costs more than the map.
                        <details class="map-table" on:toggle=move |ev| table_open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
                            <summary>{move || format!("The same data as a table ({} peerings)", peers.with(Vec::len))}</summary>
                            {move || table_open.get().then(|| view! { <PeerMapTable peers=peers.into() server_now /> })}
                        </details>
                    }.into_any()
                }}
            </LoadedView>
        </section>
    }
}
