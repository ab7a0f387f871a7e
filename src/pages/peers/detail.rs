//! `/peers/:name`: one peering, what its state means for this side, its stream and services.
//! The view is mounted once and follows each poll reactively, so open panels, a freshly
//! generated token, the selected tab and keyboard focus survive refreshes.
use crate::api::peering::{generate_token, imported_services, read_peering, GenerateTokenRequest};
use crate::api::ApiError;
use crate::browser;
use crate::components::app_link::AppLink;
use crate::components::cluster::use_cluster;
use crate::components::copy_button::CopyButton;
use crate::components::error_view::ErrorView;
use crate::components::guard::{denied, denied_title, GuardedLink};
use crate::components::loaded::{use_loaded, use_polled, LoadedView};
use crate::components::notices::use_notices;
use crate::components::state_badge::StateBadge;
use crate::model::checks::importer::virtual_address;
use crate::model::consul::access::PEERING_WRITE;
use crate::model::peers::address::{split_addresses, validate_server_address};
use crate::model::peers::alarms::new_troubles;
use crate::model::peers::freshness::{
    describe_time, freshness, parse_http_date, set_time, Freshness,
};
use crate::model::peers::peering::Peering;
use crate::pages::exports::for_peer::ExportsForPeer;
use crate::pages::failover::view::FailoverSection;
use crate::pages::intentions::for_peer::IntentionsForPeer;
use crate::pages::peers::confirm_delete::ConfirmDelete;
use crate::pages::peers::token_result::TokenResult;
use crate::routes::{AddPeerQuery, PeerPanel, Route};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Imported,
    Exported,
    Addresses,
    Intentions,
    Failover,
}

#[component]
pub fn PeerDetailPage() -> impl IntoView {
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    let peering = use_polled(move || {
        let name = name.get();
        async move {
            read_peering(&name)
                .await
                .map(|(p, reply)| (p, reply.server_date))
        }
    });
    let retry = peering.retry();
    let query = use_query_map();
    let panel = RwSignal::new(query.with_untracked(|q| PeerPanel::parse(q.get_str("action"))));
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
                <h1>{move || name.get()}</h1>
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
            <h2>"No peering named " <code>{name}</code></h2>
            <p>"It may have been deleted (Consul removes a peering shortly after it is marked for deletion), or the name is mistyped."</p>
            <AppLink href=Route::peers()>"Back to all peers"</AppLink>
        </div>
    }
}

/// Reads one field of the current peering ("" before the first answer, which never shows).
fn field<T: Default + 'static>(
    peer: Memo<Option<Peering>>,
    f: impl Fn(&Peering) -> T + 'static,
) -> impl Fn() -> T {
    move || peer.with(|p| p.as_ref().map(&f).unwrap_or_default())
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
    let tab = RwSignal::new(Tab::Imported);
    let exported = Signal::derive(field(peer, |p| p.stream().exported_services));
    let addresses = Signal::derive(field(peer, |p| p.peer_server_addresses.clone()));
    let is_dialer = Signal::derive(field(peer, Peering::is_dialer));
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
        <div class="tabs" role="tablist" on:keydown=move |ev| crate::browser::tablist_keydown(&ev) aria-label="Peering details">
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Imported).to_string() tabindex={move || if tab.get() == Tab::Imported { "0" } else { "-1" }} on:click=move |_| tab.set(Tab::Imported)>
                {move || format!("Imported services ({})", peer.with(|p| p.as_ref().map_or(0, Peering::imported_count)))}
            </button>
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Exported).to_string() tabindex={move || if tab.get() == Tab::Exported { "0" } else { "-1" }} on:click=move |_| tab.set(Tab::Exported)>
                {move || format!("Exported services ({})", peer.with(|p| p.as_ref().map_or(0, Peering::exported_count)))}
            </button>
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Addresses).to_string() tabindex={move || if tab.get() == Tab::Addresses { "0" } else { "-1" }} on:click=move |_| tab.set(Tab::Addresses)>
                "Server addresses"
            </button>
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Intentions).to_string() tabindex={move || if tab.get() == Tab::Intentions { "0" } else { "-1" }} on:click=move |_| tab.set(Tab::Intentions)>
                "Intentions"
            </button>
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Failover).to_string() tabindex={move || if tab.get() == Tab::Failover { "0" } else { "-1" }} on:click=move |_| tab.set(Tab::Failover)>
                "Failover"
            </button>
        </div>
        <div role="tabpanel" class="tabpanel">
            {move || match tab.get() {
                Tab::Imported => view! { <ImportedTab peer=name_for_tabs.clone() stream=peer_while_visible(peer) /> }.into_any(),
                Tab::Exported => view! { <ExportsForPeer peer=name_for_tabs.clone() carried=exported /> }.into_any(),
                Tab::Addresses => view! { <AddressesTab addresses is_dialer /> }.into_any(),
                Tab::Intentions => view! { <IntentionsForPeer peer=name_for_tabs.clone() /> }.into_any(),
                Tab::Failover => view! { <FailoverForPeer peer=name_for_tabs.clone() /> }.into_any(),
            }}
        </div>
    }
}

/// The peering as last seen while the tab was visible: an answer that lands while it is hidden
/// waits, so nothing that follows from it is fetched until the operator looks again (the poll
/// fetches at once then).
fn peer_while_visible(peer: Memo<Option<Peering>>) -> Signal<Option<Peering>> {
    Memo::new(move |before: Option<&Option<Peering>>| {
        let now = peer.get();
        match before {
            Some(before) if browser::page_hidden() => before.clone(),
            _ => now,
        }
    })
    .into()
}

#[component]
fn ImportedTab(peer: String, stream: Signal<Option<Peering>>) -> impl IntoView {
    let p = peer.clone();
    // Fetched again whenever the peering changes (its stream moves with imports and heartbeats):
    // the catalog's imported instances can lag the stream's list, so one fetch per change of the
    // count alone could stay stale.
    let services = use_loaded(move || {
        // Read, not `track()`: a memo that is only tracked is never computed, so it would never
        // see the peering change.
        stream.with(|_| ());
        let p = p.clone();
        async move { imported_services(&p).await }
    });
    let peer = StoredValue::new(peer);
    view! {
        <LoadedView loaded=services.status() what="imported services">
            {move || {
                let peer = peer.get_value();
                let list = services.get().unwrap_or_default();
                if list.is_empty() {
                    return view! {
                        <p class="empty-filter">{format!("No services imported from {peer}. The other cluster must export them to this one (its exported-services entry).")}</p>
                    }.into_any();
                }
                view! {
                    <table class="data" aria-label="Imported services">
                        <thead><tr><th scope="col">"Service"</th><th scope="col">"Instances"</th><th scope="col">"Health checks"</th><th scope="col">"Address for transparent proxies"</th><th scope="col"><span class="visually-hidden">"Checks"</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|s| {
                                let virtual_name = virtual_address(&s.name, &peer);
                                let copy_text = Signal::derive({ let v = virtual_name.clone(); move || v.clone() });
                                let check = Route::WhyImport { peer: peer.clone(), service: s.name.clone() };
                                let check_hidden = format!(" whether this cluster can call {}", s.name);
                                view! {
                                    <tr>
                                        <td>{s.name.clone()}</td>
                                        <td>{s.instance_count}</td>
                                        <td>{format!("{} passing, {} warning, {} critical", s.checks_passing, s.checks_warning, s.checks_critical)}</td>
                                        <td><code>{virtual_name}</code> " " <CopyButton text=copy_text what=format!("address of {}", s.name) /></td>
                                        <td><AppLink href=check>"Check"<span class="visually-hidden">{check_hidden}</span></AppLink></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </LoadedView>
    }
}

#[component]
fn AddressesTab(addresses: Signal<Vec<String>>, is_dialer: Signal<bool>) -> impl IntoView {
    move || {
        if !is_dialer.get() {
            return view! {
                <p class="empty-filter">"This cluster accepts the connection, so it does not store the peer's addresses: the other cluster dials this one using the addresses in the token."</p>
            }
            .into_any();
        }
        view! {
            <ul class="service-list" aria-label="Peer server addresses">
                {addresses.get().into_iter().map(|a| view! { <li><code>{a}</code></li> }).collect_view()}
            </ul>
        }
        .into_any()
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
                            <h2>"Regenerate the peering token for " <code>{peer.clone()}</code></h2>
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

/// The services of this cluster that fail over or redirect to this peer.
#[component]
fn FailoverForPeer(peer: String) -> impl IntoView {
    let all = Route::Failover(crate::routes::FailoverQuery {
        service: String::new(),
        peer: peer.clone(),
    });
    view! {
        <section class="peer-failover" aria-label="Failover to this peer">
            <div class="page-header">
                <h2>{format!("Failover and redirects to {peer}")}</h2>
                <AppLink href=all>"All failover"</AppLink>
            </div>
            <FailoverSection peer />
        </section>
    }
}
