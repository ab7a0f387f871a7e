//! A peer's tabs (`/peers/:name/<tab>`): the tab bar, a link per tab, and each tab's panel, a
//! nested route shown in the peer page's `<Outlet/>`. The page stays mounted across tabs and
//! hands its polled peering down (`PeerContext`), so switching tabs fetches the peering again
//! only when the poll does.
use crate::api::peering::imported_services;
use crate::browser;
use crate::components::app_link::{app_path, AppLink};
use crate::components::copy_button::CopyButton;
use crate::components::loaded::{use_loaded, LoadedView};
use crate::model::checks::importer::virtual_address;
use crate::model::peers::peering::Peering;
use crate::pages::exports::ExportsForPeer;
use crate::pages::failover::FailoverSection;
use crate::pages::intentions::IntentionsForPeer;
use crate::routes::hooks::{use_replace_route, use_route, use_route_part};
use crate::routes::{FailoverQuery, PeerTab, Route};
use leptos::prelude::*;

/// What the peer page hands its tabs: the peering's name and its latest polled state.
#[derive(Clone, Copy)]
pub struct PeerContext {
    pub name: StoredValue<String>,
    pub peer: Memo<Option<Peering>>,
}

/// Reads one field of the current peering ("" before the first answer, which never shows).
pub fn field<T: Default + 'static>(
    peer: Memo<Option<Peering>>,
    f: impl Fn(&Peering) -> T + 'static,
) -> impl Fn() -> T {
    move || peer.with(|p| p.as_ref().map(&f).unwrap_or_default())
}

/// The tab the location names (`None` on `/peers/:name`, until it replaces itself).
fn use_selected_tab() -> Memo<Option<PeerTab>> {
    use_route_part(|r| match r {
        Route::Peer { tab, .. } => Some(*tab),
        _ => None,
    })
}

fn tab_id(tab: PeerTab) -> String {
    format!("peer-tab-{}", tab.segment())
}

/// The tab bar: links (a tab can be linked, and Back returns to it) with the ARIA tabs
/// pattern's roles and keys (arrows, Home and End move to a tab and follow it).
#[component]
pub fn PeerTabs(name: String, peer: Memo<Option<Peering>>) -> impl IntoView {
    let selected = use_selected_tab();
    let tabs = PeerTab::ALL
        .into_iter()
        .map(|tab| {
            let href = app_path(&Route::peer_tab(&name, tab));
            let is_selected = move || selected.get() == Some(tab);
            let label = move || match tab {
                PeerTab::Imported => format!(
                    "{} ({})",
                    tab.label(),
                    peer.with(|p| p.as_ref().map_or(0, Peering::imported_count))
                ),
                PeerTab::Exported => format!(
                    "{} ({})",
                    tab.label(),
                    peer.with(|p| p.as_ref().map_or(0, Peering::exported_count))
                ),
                other => other.label().to_string(),
            };
            // `data-noscroll`: the router keeps the scroll position (the tabs sit below the
            // peering's facts; a tab change should not jump to the top).
            view! {
                <a role="tab" id=tab_id(tab) href=href data-noscroll="" aria-selected=move || is_selected().to_string()
                    tabindex=move || if is_selected() { "0" } else { "-1" }>{label}</a>
            }
        })
        .collect_view();
    view! {
        <div class="tabs" role="tablist" aria-label="Peering details" on:keydown=move |ev| browser::tablist_keydown(&ev)>
            {tabs}
        </div>
    }
}

/// The selected tab's panel.
#[component]
pub fn TabPanel(children: Children) -> impl IntoView {
    let selected = use_selected_tab();
    view! {
        <div role="tabpanel" class="tabpanel" aria-labelledby=move || selected.get().map(tab_id)>
            {children()}
        </div>
    }
}

/// `/peers/:name` replaces itself with its first tab, keeping the query (`?action=` opens a
/// panel), as Consul's own UI opens a peer on its imported services. The page calls this, so it
/// happens at once, also for a peering that does not load.
pub fn use_first_tab() {
    let route = use_route();
    let replace = use_replace_route();
    Effect::new(move |_| {
        if let Some(Route::Peer {
            name,
            tab: None,
            panel,
        }) = route.get()
        {
            replace(&Route::Peer {
                name,
                tab: Some(PeerTab::Imported),
                panel,
            });
        }
    });
}

/// The panel of `/peers/:name`: nothing, the page replaces the location with its first tab.
#[component]
pub fn FirstTab() -> impl IntoView {}

#[component]
pub fn ImportedPanel() -> impl IntoView {
    use_context::<PeerContext>().map(|ctx| {
        view! { <ImportedTab peer=ctx.name.get_value() stream=peer_while_visible(ctx.peer) /> }
    })
}

#[component]
pub fn ExportedPanel() -> impl IntoView {
    use_context::<PeerContext>().map(|ctx| {
        let carried = Signal::derive(field(ctx.peer, |p| p.stream().exported_services));
        view! { <ExportsForPeer peer=ctx.name.get_value() carried /> }
    })
}

#[component]
pub fn AddressesPanel() -> impl IntoView {
    use_context::<PeerContext>().map(|ctx| {
        let addresses = Signal::derive(field(ctx.peer, |p| p.peer_server_addresses.clone()));
        let is_dialer = Signal::derive(field(ctx.peer, Peering::is_dialer));
        view! { <AddressesTab addresses is_dialer /> }
    })
}

#[component]
pub fn IntentionsPanel() -> impl IntoView {
    use_context::<PeerContext>()
        .map(|ctx| view! { <IntentionsForPeer peer=ctx.name.get_value() /> })
}

/// The services of this cluster that fail over or redirect to this peer.
#[component]
pub fn FailoverPanel() -> impl IntoView {
    use_context::<PeerContext>().map(|ctx| {
        let peer = ctx.name.get_value();
        let all = Route::Failover(FailoverQuery {
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
    })
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
                        <p class="empty-filter">"No services imported from " <bdi>{peer}</bdi> ". The other cluster must export them to this one (its exported-services entry)."</p>
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
                                let called = s.name.clone();
                                view! {
                                    <tr>
                                        <td><bdi>{s.name.clone()}</bdi></td>
                                        <td>{s.instance_count}</td>
                                        <td>{format!("{} passing, {} warning, {} critical", s.checks_passing, s.checks_warning, s.checks_critical)}</td>
                                        <td><code>{virtual_name}</code> " " <CopyButton text=copy_text what=format!("address of {}", s.name) /></td>
                                        <td><AppLink href=check>"Check"<span class="visually-hidden">" whether this cluster can call " <bdi>{called}</bdi></span></AppLink></td>
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
