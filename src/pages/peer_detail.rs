//! `/peers/:name`: one peering, what its state means for this side, its stream and services.
use crate::api::peering::{generate_token, imported_services, read_peering, GenerateTokenRequest};
use crate::api::{ApiError, Problem};
use crate::components::app_link::AppLink;
use crate::components::confirm_delete::ConfirmDelete;
use crate::components::copy_button::CopyButton;
use crate::components::error_view::ErrorView;
use crate::components::guard::{denied, denied_title, GuardedLink};
use crate::components::loading::Loading;
use crate::components::polling::use_poller;
use crate::components::state_badge::StateBadge;
use crate::components::token_result::TokenResult;
use crate::model::access::PEERING_WRITE;
use crate::model::address::{split_addresses, validate_server_address};
use crate::model::freshness::{describe_time, freshness, parse_http_date, Freshness};
use crate::model::peering::{Peering, PeeringState};
use crate::pages::exports_for_peer::ExportsForPeer;
use crate::pages::intentions_for_peer::IntentionsForPeer;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Imported,
    Exported,
    Addresses,
    Intentions,
}

#[component]
pub fn PeerDetailPage() -> impl IntoView {
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    let poller = use_poller();
    let peering = LocalResource::new(move || {
        let name = name.get();
        poller.tick.get();
        poller.track(async move {
            read_peering(&name)
                .await
                .map(|(p, reply)| (p, reply.server_date))
        })
    });
    let retry = Callback::new(move |_| poller.refresh());
    let query = use_query_map();
    let panel = RwSignal::new(query.with_untracked(|q| q.get("action")));
    // The summary above is rebuilt on every poll; the tabs below are not, so an export being
    // edited (or a tab chosen) survives the refresh. They read the live values they need.
    let tab = RwSignal::new(Tab::Imported);
    let latest = move || peering.get().and_then(Result::ok).map(|(p, _)| p);
    let shown = Memo::new(move |previous: Option<&bool>| match peering.get() {
        Some(Ok(_)) => true,
        Some(Err(e)) if e.problem() == Problem::NotFound => false,
        // A failed or pending refresh keeps what is on screen.
        _ => previous.copied().unwrap_or(false),
    });
    let exported: Signal<Vec<String>> = Memo::new(move |_| {
        latest()
            .map(|p| p.stream().exported_services)
            .unwrap_or_default()
    })
    .into();
    let addresses = Memo::new(move |_| {
        latest()
            .map(|p| (p.peer_server_addresses.clone(), p.is_dialer()))
            .unwrap_or_default()
    });

    view! {
        <section class="page">
            <nav class="breadcrumb" aria-label="Breadcrumb"><AppLink href="/peers">"All peers"</AppLink></nav>
            <div class="page-header">
                <h1>{move || name.get()}</h1>
                <span class="updated">{move || poller.updated_label()}</span>
            </div>
            <Transition fallback=|| view! { <Loading what="the peering" /> }>
                {move || Suspend::new(async move {
                    match peering.await {
                        Ok((p, date)) => view! { <PeerView p now=date.as_deref().and_then(parse_http_date) panel tab poller_refresh=retry /> }.into_any(),
                        Err(error) if error.problem() == Problem::NotFound => view! { <UnknownPeer name=name.get_untracked() /> }.into_any(),
                        Err(error) => view! { <ErrorView error on_retry=retry /> }.into_any(),
                    }
                })}
            </Transition>
            {move || shown.get().then(|| view! {
                <div role="tabpanel" class="tabpanel">
                    {move || {
                        let peer = name.get();
                        match tab.get() {
                            Tab::Imported => view! { <ImportedTab peer tick=poller.tick /> }.into_any(),
                            Tab::Exported => view! { <ExportsForPeer peer carried=exported /> }.into_any(),
                            Tab::Addresses => {
                                let (addresses, is_dialer) = addresses.get();
                                view! { <AddressesTab addresses is_dialer /> }.into_any()
                            }
                            Tab::Intentions => view! { <IntentionsForPeer peer /> }.into_any(),
                        }
                    }}
                </div>
            })}
        </section>
    }
}

#[component]
fn UnknownPeer(name: String) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h2>"No peering named " <code>{name}</code></h2>
            <p>"It may have been deleted (Consul removes a peering shortly after it is marked for deletion), or the name is mistyped."</p>
            <AppLink href="/peers">"Back to all peers"</AppLink>
        </div>
    }
}

#[component]
fn PeerView(
    p: Peering,
    now: Option<i64>,
    panel: RwSignal<Option<String>>,
    tab: RwSignal<Tab>,
    poller_refresh: Callback<()>,
) -> impl IntoView {
    let stream = p.stream();
    let fresh = freshness(&p, now);
    let time =
        |t: &Option<String>| describe_time(t.as_deref(), now).unwrap_or_else(|| "None yet".into());
    let (heartbeat, receive, send) = (
        time(&stream.last_heartbeat),
        time(&stream.last_receive),
        time(&stream.last_send),
    );
    let (heartbeat_at, receive_at, send_at) = (
        stream.last_heartbeat.clone().unwrap_or_default(),
        stream.last_receive.clone().unwrap_or_default(),
        stream.last_send.clone().unwrap_or_default(),
    );
    let can_regenerate =
        !p.is_dialer() && !matches!(p.state, PeeringState::Deleting | PeeringState::Terminated);
    let can_delete = p.state != PeeringState::Deleting;
    let terminated = p.state == PeeringState::Terminated;
    let name = p.name.clone();
    let meta = p.meta.clone();
    let locality = p
        .remote
        .locality
        .clone()
        .filter(|l| !l.region.is_empty() || !l.zone.is_empty());
    let stale = matches!(fresh, Freshness::Stale { .. }).then(|| view! {
        <p class="notice warn" role="status">
            "Consul reports Active, but nothing has been received from the peer for over 2 minutes (Consul's heartbeat timeout). "
            "The connection is probably broken: check the other cluster and the network between the servers."
        </p>
    });
    let reestablish_href = format!("/peers/new?tab=establish&name={}", p.name);
    let name_for_delete = name.clone();
    let name_for_regen = name.clone();
    let write_denied = denied(PEERING_WRITE);
    let write_title = denied_title(PEERING_WRITE);
    view! {
        <div class="peer-summary">
            <div class="state-line">
                <StateBadge state=p.state />
                <span>{p.state.meaning()}</span>
            </div>
            {stale}
            <p class="role">{p.role_description()}</p>
            <div class="actions">
                {can_regenerate.then(|| view! {
                    <button type="button" class="secondary" disabled=move || write_denied.get() title=move || write_title.get()
                        on:click=move |_| panel.set(Some("regenerate".into()))>"Regenerate token"</button>
                })}
                {terminated.then(|| view! { <GuardedLink permission=PEERING_WRITE href=reestablish_href.clone()>"Re-establish with a new token"</GuardedLink> })}
                {can_delete.then(|| view! {
                    <button type="button" class="secondary danger-outline" disabled=move || write_denied.get() title=move || write_title.get()
                        on:click=move |_| panel.set(Some("delete".into()))>"Delete"</button>
                })}
            </div>
        </div>
        {move || match panel.get().as_deref() {
            Some("delete") if can_delete => Some(view! {
                <ConfirmDelete
                    peer=name_for_delete.clone()
                    on_deleted=Callback::new(move |_| { panel.set(None); poller_refresh.run(()); })
                    on_cancel=Callback::new(move |_| panel.set(None))
                />
            }.into_any()),
            Some("regenerate") if can_regenerate => Some(view! {
                <RegenerateToken peer=name_for_regen.clone() on_close=Callback::new(move |_| panel.set(None)) />
            }.into_any()),
            _ => None,
        }}
        <dl class="facts">
            <dt>"Remote datacenter"</dt><dd>{if p.remote.datacenter.is_empty() { "—".into() } else { p.remote.datacenter.clone() }}</dd>
            <dt>"Remote partition"</dt><dd>{if p.remote.partition.is_empty() { "—".into() } else { p.remote.partition.clone() }}</dd>
            {locality.map(|l| view! { <dt>"Remote locality"</dt><dd>{format!("{} {}", l.region, l.zone).trim().to_string()}</dd> })}
            <dt>"Last heartbeat"</dt><dd title=heartbeat_at>{heartbeat}</dd>
            <dt>"Last receive"</dt><dd title=receive_at>{receive}</dd>
            <dt>"Last send"</dt><dd title=send_at>{send}</dd>
            <dt>"Peering ID"</dt><dd><code>{p.id.clone()}</code></dd>
            <dt>"Peer's ID"</dt><dd><code>{p.peer_id.clone().unwrap_or_else(|| "— (known only to the dialing side)".into())}</code></dd>
            {p.peer_server_name.clone().map(|s| view! { <dt>"Peer server name"</dt><dd><code>{s}</code></dd> })}
            {p.deleted_at.clone().map(|d| view! { <dt>"Deleted at"</dt><dd>{d}</dd> })}
            <dt>"Meta"</dt>
            <dd>
                {if meta.is_empty() {
                    view! { <span>"—"</span> }.into_any()
                } else {
                    view! { <ul class="meta">{meta.into_iter().map(|(k, v)| view! { <li><code>{k}</code> " = " <code>{v}</code></li> }).collect_view()}</ul> }.into_any()
                }}
            </dd>
        </dl>
        <div class="tabs" role="tablist" aria-label="Peering details">
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Imported).to_string() on:click=move |_| tab.set(Tab::Imported)>
                {format!("Imported services ({})", p.imported_count())}
            </button>
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Exported).to_string() on:click=move |_| tab.set(Tab::Exported)>
                {format!("Exported services ({})", p.exported_count())}
            </button>
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Addresses).to_string() on:click=move |_| tab.set(Tab::Addresses)>
                "Server addresses"
            </button>
            <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Intentions).to_string() on:click=move |_| tab.set(Tab::Intentions)>
                "Intentions"
            </button>
        </div>
    }
}

/// Refetched on every poll (`tick`), like the summary.
#[component]
fn ImportedTab(peer: String, tick: ReadSignal<u64>) -> impl IntoView {
    let p = peer.clone();
    let services = LocalResource::new(move || {
        let p = p.clone();
        tick.get();
        async move { imported_services(&p).await }
    });
    view! {
        <Transition fallback=|| view! { <Loading what="imported services" /> }>
            {
                let peer = peer.clone();
                move || {
                    let peer = peer.clone();
                    Suspend::new(async move {
                        match services.await {
                            Ok(list) if list.is_empty() => view! {
                                <p class="empty-filter">{format!("No services imported from {peer}. The other cluster must export them to this one (its exported-services entry).")}</p>
                            }.into_any(),
                            Ok(list) => view! {
                                <table class="data" aria-label="Imported services">
                                    <thead><tr><th scope="col">"Service"</th><th scope="col">"Instances"</th><th scope="col">"Health checks"</th><th scope="col">"Address for transparent proxies"</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|s| {
                                            let virtual_name = format!("{}.virtual.{}.consul", s.name, peer);
                                            let copy_text = Signal::derive({ let v = virtual_name.clone(); move || v.clone() });
                                            view! {
                                                <tr>
                                                    <td>{s.name.clone()}</td>
                                                    <td>{s.instance_count}</td>
                                                    <td>{format!("{} passing, {} warning, {} critical", s.checks_passing, s.checks_warning, s.checks_critical)}</td>
                                                    <td><code>{virtual_name}</code> " " <CopyButton text=copy_text what=format!("address of {}", s.name) /></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(error) => view! { <ErrorView error /> }.into_any(),
                        }
                    })
                }
            }
        </Transition>
    }
}

#[component]
fn AddressesTab(addresses: Vec<String>, is_dialer: bool) -> impl IntoView {
    if !is_dialer {
        return view! {
            <p class="empty-filter">"This cluster accepts the connection, so it does not store the peer's addresses: the other cluster dials this one using the addresses in the token."</p>
        }
        .into_any();
    }
    view! {
        <ul class="service-list" aria-label="Peer server addresses">
            {addresses.into_iter().map(|a| view! { <li><code>{a}</code></li> }).collect_view()}
        </ul>
    }
    .into_any()
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
    let datacenter = crate::browser::ui_settings()
        .datacenter()
        .unwrap_or("this-cluster")
        .to_string();
    let result = move || generate.value().get();
    view! {
        <div class="confirm-panel" role="region" aria-label="Regenerate token">
            {
                let peer = peer.clone();
                let datacenter = datacenter.clone();
                move || match result() {
                    Some(Ok(token)) => view! {
                        <TokenResult peer=peer.clone() token datacenter=datacenter.clone() />
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
