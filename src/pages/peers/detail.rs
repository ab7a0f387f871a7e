//! `/peers/:name/<tab>`: one peering, what its state means for this side, its stream and
//! services. The view is mounted once (its tabs are nested routes, `tabs.rs`) and follows each
//! poll reactively, so open panels, a freshly generated token and keyboard focus survive
//! refreshes and tab changes.
use crate::api::peering::{generate_token, read_peering, GenerateTokenRequest};
use crate::api::ApiError;
use crate::components::app_link::AppLink;
use crate::components::cluster::use_cluster;
use crate::components::error_view::ErrorView;
use crate::components::guard::{denied, denied_title, GuardedLink};
use crate::components::loaded::{use_polled, LoadedView};
use crate::components::notices::use_notices;
use crate::components::state_badge::StateBadge;
use crate::model::consul::access::PEERING_WRITE;
use crate::model::peers::address::{split_addresses, validate_server_address};
use crate::model::peers::alarms::new_troubles;
use crate::model::peers::freshness::{
    describe_time, freshness, parse_http_date, set_time, Freshness,
};
use crate::model::peers::peering::Peering;
use crate::pages::peers::confirm_delete::ConfirmDelete;
use crate::pages::peers::tabs::{field, use_first_tab, PeerContext, PeerTabs, TabPanel};
use crate::pages::peers::token_result::TokenResult;
use crate::routes::hooks::{use_route, use_route_part};
use crate::routes::{AddPeerQuery, PeerPanel, Route};
use leptos::prelude::*;
use leptos_router::components::Outlet;

#[component]
pub fn PeerDetailPage() -> impl IntoView {
    let name = use_route_part(|r| match r {
        Route::Peer { name, .. } => Some(name.clone()),
        _ => None,
    });
    use_first_tab();
    let peering = use_polled(move || {
        let name = name.get();
        async move {
            read_peering(&name)
                .await
                .map(|(p, reply)| (p, reply.server_date))
        }
    });
    let retry = peering.retry();
    // A link can open a panel (`?action=`); from then on it is the page's own.
    let panel = RwSignal::new(use_route().with_untracked(|r| match r {
        Some(Route::Peer { panel, .. }) => *panel,
        _ => None,
    }));
    let last_good = peering.data;
    let peer = Memo::new(move |_| last_good.with(|g| g.as_ref().map(|(p, _)| p.clone())));
    let now = Memo::new(move |_| {
        last_good.with(|g| {
            g.as_ref()
                .and_then(|(_, d)| d.as_deref().and_then(parse_http_date))
        })
    });

    // A peering that goes bad while it is on screen raises a notice that stays until dismissed.
    let notices = use_notices();
    Effect::new(move |previous: Option<Option<(Peering, Option<i64>)>>| {
        let current = peer.get().map(|p| (p, now.get()));
        if let (Some(Some((before, then))), Some((after, at))) = (&previous, &current) {
            for (name, trouble) in new_troubles(
                std::slice::from_ref(before),
                *then,
                std::slice::from_ref(after),
                *at,
            ) {
                notices.push(trouble.describe(&name));
            }
        }
        current
    });

    view! {
        <section class="page">
            <nav class="breadcrumb" aria-label="Breadcrumb"><AppLink href=Route::peers()>"All peers"</AppLink></nav>
            <div class="page-header">
                <h1><bdi>{move || name.get()}</bdi></h1>
                <span class="updated">{move || peering.poller.and_then(|p| p.updated_label())}</span>
            </div>
            <LoadedView loaded=peering.status() what="the peering"
                not_found=ViewFn::from(move || view! { <UnknownPeer name=name.get_untracked() /> })>
                <PeerView peer now panel poller_refresh=retry />
            </LoadedView>
        </section>
    }
}

#[component]
fn UnknownPeer(name: String) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h2>"No peering named " <code><bdi>{name}</bdi></code></h2>
            <p>"It may have been deleted (Consul removes a peering shortly after it is marked for deletion), or the name is mistyped."</p>
            <AppLink href=Route::peers()>"Back to all peers"</AppLink>
        </div>
    }
}

#[component]
fn PeerView(
    peer: Memo<Option<Peering>>,
    now: Memo<Option<i64>>,
    panel: RwSignal<Option<PeerPanel>>,
    poller_refresh: Callback<()>,
) -> impl IntoView {
    let name = peer.with_untracked(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let state = Memo::new(move |_| peer.with(|p| p.as_ref().map(|p| p.state)));
    let time = move |pick: fn(&Peering) -> Option<String>| {
        move || {
            let at = peer.with(|p| p.as_ref().and_then(pick));
            describe_time(at.as_deref(), now.get()).unwrap_or_else(|| "None yet".into())
        }
    };
    let stamp = move |pick: fn(&Peering) -> Option<String>| {
        field(peer, move |p| {
            set_time(pick(p).as_deref()).unwrap_or_default().to_string()
        })
    };
    let can_regenerate =
        Memo::new(move |_| peer.with(|p| p.as_ref().is_some_and(Peering::can_regenerate)));
    let can_delete = Memo::new(move |_| peer.with(|p| p.as_ref().is_some_and(Peering::can_delete)));
    let terminated = Memo::new(move |_| {
        state.get() == Some(crate::model::peers::peering::PeeringState::Terminated)
    });
    let stale = move || {
        let fresh = peer.with(|p| p.as_ref().map(|p| freshness(p, now.get())));
        matches!(fresh, Some(Freshness::Stale { .. })).then(|| view! {
            <p class="notice warn" role="status">
                "Consul reports Active, but nothing has been received from the peer for over 2 minutes (Consul's heartbeat timeout). "
                "The connection is probably broken: check the other cluster and the network between the servers."
            </p>
        })
    };
    provide_context(PeerContext {
        name: StoredValue::new(name.clone()),
        peer,
    });
    let reestablish_href = Route::AddPeer(AddPeerQuery {
        establish: true,
        name: name.clone(),
    });
    let name_for_delete = name.clone();
    let name_for_regen = name.clone();
    let name_for_tabs = name.clone();
    let write_denied = denied(PEERING_WRITE);
    let write_title = denied_title(PEERING_WRITE);
    view! {
        <div class="peer-summary">
            <div class="state-line">
                {move || state.get().map(|state| view! { <StateBadge state /> <span>{state.meaning()}</span> })}
            </div>
            {stale}
            <p class="role">{field(peer, |p| p.role_description().to_string())}</p>
            <div class="actions">
                {move || can_regenerate.get().then(|| view! {
                    <button type="button" class="secondary" disabled=move || write_denied.get() title=move || write_title.get()
                        on:click=move |_| panel.set(Some(PeerPanel::Regenerate))>"Regenerate token"</button>
                })}
                {move || terminated.get().then(|| view! { <GuardedLink permission=PEERING_WRITE href=reestablish_href.clone()>"Re-establish with a new token"</GuardedLink> })}
                {move || can_delete.get().then(|| view! {
                    <button type="button" class="secondary danger-outline" disabled=move || write_denied.get() title=move || write_title.get()
                        on:click=move |_| panel.set(Some(PeerPanel::Delete))>"Delete"</button>
                })}
            </div>
        </div>
        {move || match panel.get() {
            Some(PeerPanel::Delete) if can_delete.get_untracked() => Some(view! {
                <ConfirmDelete
                    peer=name_for_delete.clone()
                    on_deleted=Callback::new(move |_| { panel.set(None); poller_refresh.run(()); })
                    on_cancel=Callback::new(move |_| panel.set(None))
                />
            }.into_any()),
            Some(PeerPanel::Regenerate) if can_regenerate.get_untracked() => Some(view! {
                <RegenerateToken peer=name_for_regen.clone() on_close=Callback::new(move |_| panel.set(None)) />
            }.into_any()),
            _ => None,
        }}
        <dl class="facts">
            <dt>"Remote datacenter"</dt><dd>{field(peer, |p| if p.remote.datacenter.is_empty() { "—".into() } else { p.remote.datacenter.clone() })}</dd>
            <dt>"Remote partition"</dt><dd>{field(peer, |p| if p.remote.partition.is_empty() { "—".into() } else { p.remote.partition.clone() })}</dd>
            {move || peer.with(|p| p.as_ref().and_then(|p| p.remote.locality.clone())).filter(|l| !l.region.is_empty() || !l.zone.is_empty())
                .map(|l| view! { <dt>"Remote locality"</dt><dd>{format!("{} {}", l.region, l.zone).trim().to_string()}</dd> })}
            <dt>"Last heartbeat"</dt><dd title=stamp(|p| p.stream().last_heartbeat)>{time(|p| p.stream().last_heartbeat)}</dd>
            <dt>"Last receive"</dt><dd title=stamp(|p| p.stream().last_receive)>{time(|p| p.stream().last_receive)}</dd>
            <dt>"Last send"</dt><dd title=stamp(|p| p.stream().last_send)>{time(|p| p.stream().last_send)}</dd>
            <dt>"Peering ID"</dt><dd><code>{field(peer, |p| p.id.clone())}</code></dd>
            <dt>"Peer's ID"</dt><dd><code>{field(peer, |p| p.peer_id.clone().unwrap_or_else(|| "— (known only to the dialing side)".into()))}</code></dd>
            {move || peer.with(|p| p.as_ref().and_then(|p| p.peer_server_name.clone())).map(|s| view! { <dt>"Peer server name"</dt><dd><code>{s}</code></dd> })}
            {move || peer.with(|p| p.as_ref().and_then(|p| p.deleted_at.clone())).map(|d| view! { <dt>"Deleted at"</dt><dd>{d}</dd> })}
            <dt>"Meta"</dt>
            <dd>
                {move || {
                    let meta = peer.with(|p| p.as_ref().map(|p| p.meta.clone()).unwrap_or_default());
                    if meta.is_empty() {
                        view! { <span>"—"</span> }.into_any()
                    } else {
                        view! { <ul class="meta">{meta.into_iter().map(|(k, v)| view! { <li><code>{k}</code> " = " <code>{v}</code></li> }).collect_view()}</ul> }.into_any()
                    }
                }}
            </dd>
        </dl>
        <PeerTabs name=name_for_tabs peer />
        <TabPanel><Outlet /></TabPanel>
    }
}

/// Regenerating asks again for the external addresses: Consul does not store them, so a
/// silent regenerate would drop them from the new token.
#[component]
fn RegenerateToken(peer: String, on_close: Callback<()>) -> impl IntoView {
    let addresses = RwSignal::new(String::new());
    let address_error = Memo::new(move |_| {
        split_addresses(&addresses.get())
            .iter()
            .find_map(|a| validate_server_address(a).err())
    });
    let name = peer.clone();
    let generate = Action::new_local(move |addrs: &Vec<String>| {
        let request = GenerateTokenRequest {
            peer_name: name.clone(),
            server_external_addresses: addrs.clone(),
            ..Default::default()
        };
        async move { generate_token(&request).await }
    });
    let cluster = use_cluster();
    let datacenter = Signal::derive(move || cluster.peer_name_suggestion());
    let result = move || generate.value().get();
    view! {
        <div class="confirm-panel" role="region" aria-label="Regenerate token">
            {
                let peer = peer.clone();
                move || match result() {
                    Some(Ok(token)) => view! {
                        <TokenResult peer=peer.clone() token datacenter />
                        <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Done"</button>
                    }.into_any(),
                    other => {
                        let error: Option<ApiError> = other.and_then(Result::err);
                        view! {
                            <h2>"Regenerate the peering token for " <code><bdi>{peer.clone()}</bdi></code></h2>
                            <p>"A new token replaces any earlier one that was not used yet: the old token stops working. A live connection stays up."</p>
                            <label for="regen-addresses">"Server external addresses (optional)"</label>
                            <p class="help">"Consul does not keep these between tokens: enter them again if the other cluster must dial addresses other than this cluster's servers (host:port, comma-separated)."</p>
                            <input id="regen-addresses" type="text" placeholder="gateway.example.com:8443"
                                prop:value=move || addresses.get() on:input=move |ev| addresses.set(event_target_value(&ev))
                                aria-invalid=move || address_error.get().is_some().to_string() />
                            {move || address_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                            {error.map(|error| view! { <ErrorView error /> })}
                            <div class="actions">
                                <button type="button" disabled=move || generate.pending().get() || address_error.get().is_some()
                                    on:click=move |_| { generate.dispatch(split_addresses(&addresses.get_untracked())); }>
                                    {move || if generate.pending().get() { "Generating…" } else { "Generate new token" }}
                                </button>
                                <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                            </div>
                        }.into_any()
                    }
                }
            }
        </div>
    }
}
