//! `/peers`: every peering of this cluster, live.
use crate::api::peering::{list_peerings, PeeringList};
use crate::components::app_link::AppLink;
use crate::components::guard::{denied, denied_title, GuardedLink};
use crate::components::loaded::{use_polled, LoadedView};
use crate::components::notices::use_notices;
use crate::components::state_badge::StateBadge;
use crate::model::consul::access::PEERING_WRITE;
use crate::model::peers::alarms::new_troubles;
use crate::model::peers::freshness::{
    describe_time, freshness, parse_http_date, set_time, Freshness, NO_SERVER_CLOCK,
};
use crate::model::peers::list::{page_of, ListQuery, PreparedList, SortKey};
use crate::model::peers::peering::{Peering, PeeringState};
use crate::pages::gateways::GatewayWarnings;
use crate::pages::peers::confirm_delete::ConfirmDelete;
use crate::routes::hooks::{use_replace_route, use_route_part, use_url_filter};
use crate::routes::{PeerPanel, Route};
use leptos::prelude::*;
use std::collections::HashMap;
use stylers_macro::style;

const STATES: [PeeringState; 6] = [
    PeeringState::Pending,
    PeeringState::Establishing,
    PeeringState::Active,
    PeeringState::Failing,
    PeeringState::Deleting,
    PeeringState::Terminated,
];

#[component]
pub fn PeersPage() -> impl IntoView {
    let peerings = use_polled(list_peerings);
    let poller = peerings.poller;
    let is_empty = Memo::new(move |_| {
        peerings.data.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.peerings.is_empty() && !l.filtered_by_acls)
        })
    });
    let table_data = Signal::derive(move || match peerings.get() {
        Some(list) => list,
        None => PeeringList {
            peerings: Vec::new(),
            server_date: None,
            filtered_by_acls: false,
        },
    });

    // Search, filter and sort live in the URL.
    let query = use_route_part(|r| match r {
        Route::Peers(q) => Some(q.clone()),
        _ => None,
    });
    let replace = use_replace_route();
    let set_query = move |next: ListQuery| replace(&Route::Peers(next));

    // Notices for peerings that go bad while the console is open; they stay until dismissed.
    let notices = use_notices();
    let previous = StoredValue::new(None::<PeeringList>);
    Effect::new(move |_| {
        if let Some(list) = peerings.get() {
            if let Some(prev) = previous.get_value() {
                let troubles = new_troubles(
                    &prev.peerings,
                    prev.server_date.as_deref().and_then(parse_http_date),
                    &list.peerings,
                    list.server_date.as_deref().and_then(parse_http_date),
                );
                if !troubles.is_empty() {
                    troubles
                        .iter()
                        .for_each(|(peer, t)| notices.push(t.describe(peer)));
                }
            }
            previous.set_value(Some(list));
        }
    });

    let pending_delete = RwSignal::new(None::<String>);
    // Search applies on every keystroke; the URL follows once typing pauses (`use_url_filter`).
    let set_query_search = set_query.clone();
    let (search, on_search) = use_url_filter(
        Memo::new(move |_| query.with(|q| q.search.clone())),
        move |search| {
            set_query_search(ListQuery {
                search,
                page: 1,
                ..query.get_untracked()
            })
        },
    );
    let effective = Memo::new(move |_| ListQuery {
        search: search.get(),
        ..query.get()
    });
    let set_query_state = set_query.clone();
    let set_query_sort = set_query.clone();
    let go_to_page = Callback::new(move |page: usize| {
        set_query(ListQuery {
            page,
            ..effective.get_untracked()
        })
    });

    view! {
        <section class="page">
            <div class="page-header">
                <h1>"Peers"</h1>
                <div class="header-actions">
                    <span class="updated" aria-live="off">{move || poller.and_then(|p| p.updated_label())}</span>
                    <button type="button" class="secondary" on:click=move |_| peerings.refetch()>"Refresh"</button>
                    <GuardedLink permission=PEERING_WRITE href=Route::add_peer()>"Add peer connection"</GuardedLink>
                </div>
            </div>
            <GatewayWarnings link=true />
            <div class="toolbar" role="search">
                <label>
                    "Search "
                    <input
                        type="search"
                        aria-label="Search peers"
                        placeholder="Name or ID"
                        prop:value=move || search.get()
                        on:input=move |ev| on_search(event_target_value(&ev))
                    />
                </label>
                <label>
                    "State "
                    <select aria-label="Filter by state" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let state = (!value.is_empty()).then(|| PeeringState::from_consul(&value.to_ascii_uppercase()));
                        set_query_state(ListQuery { state, page: 1, ..effective.get_untracked() });
                    }>
                        <option value="" selected=move || query.get().state.is_none()>"All states"</option>
                        {STATES
                            .iter()
                            .map(|s| {
                                let s = *s;
                                view! {
                                    <option value=s.label().to_lowercase() selected=move || query.get().state == Some(s)>
                                        {s.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Sort "
                    <select aria-label="Sort peers" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let next = ListQuery::from_params(None, None, Some(&value));
                        set_query_sort(ListQuery { sort: next.sort, descending: next.descending, page: 1, ..effective.get_untracked() });
                    }>
                        {[("name", "Name (A to Z)"), ("-name", "Name (Z to A)"), ("state", "State (Pending to Terminated)"), ("-state", "State (Terminated to Pending)"), ("heartbeat", "Latest heartbeat first"), ("-heartbeat", "Oldest heartbeat first")]
                            .into_iter()
                            .map(|(value, label)| {
                                view! {
                                    <option
                                        value=value
                                        selected=move || query.get().sort_param().unwrap_or_else(|| "name".into()) == value
                                    >
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {move || pending_delete.get().map(|peer| view! {
                <ConfirmDelete
                    peer
                    on_deleted=Callback::new(move |_| { pending_delete.set(None); peerings.refetch(); })
                    on_cancel=Callback::new(move |_| pending_delete.set(None))
                />
            })}
            <LoadedView loaded=peerings.status() what="peers">
                // The table stays mounted across polls; only empty/table swaps views.
                {move || if is_empty.get() {
                    view! { <NoPeers /> }.into_any()
                } else {
                    view! {
                        <PeerTable list=table_data query=effective go_to_page on_delete=Callback::new(move |peer| pending_delete.set(Some(peer))) />
                    }.into_any()
                }}
            </LoadedView>
        </section>
    }
}

/// The empty state explains what peering is before asking for anything.
#[component]
fn NoPeers() -> impl IntoView {
    view! {
        <div class="empty-state">
            <h2>"No peer connections yet"</h2>
            <p>
                "Cluster peering connects this Consul cluster to another, independent one so their services can "
                "reach each other. One cluster generates a peering token; the other uses it to establish the connection."
            </p>
            <GuardedLink permission=PEERING_WRITE href=Route::add_peer()>"Add peer connection"</GuardedLink>
        </div>
    }
}

#[component]
fn PeerTable(
    list: Signal<PeeringList>,
    query: Memo<ListQuery>,
    go_to_page: Callback<usize>,
    on_delete: Callback<String>,
) -> impl IntoView {
    let class_name = style! {
        td.num {
            font-variant-numeric: tabular-nums;
        }
        .name {
            font-weight: 600;
        }
        .stale {
            color: var(--warn);
            font-size: 0.85rem;
            font-weight: 600;
            display: block;
        }
        .row-actions {
            display: flex;
            gap: 0.5rem;
            align-items: center;
            justify-content: flex-end;
        }
    };
    let now = Memo::new(move |_| list.with(|l| l.server_date.as_deref().and_then(parse_http_date)));
    let filtered = Memo::new(move |_| list.with(|l| l.filtered_by_acls));
    let total = Memo::new(move |_| list.with(|l| l.peerings.len()));
    // Filter and sort by reference; clone only the page that is rendered.
    let write_denied = denied(PEERING_WRITE);
    let write_title = denied_title(PEERING_WRITE);
    // Sorted and indexed once per list and sort order; each keystroke only scans the index.
    let order = Memo::new(move |_| query.with(|q| (q.sort, q.descending)));
    let prepared = Memo::new(move |_| {
        let (sort, descending) = order.get();
        list.with(|l| PreparedList::new(&l.peerings, sort, descending))
    });
    let view_state = Memo::new(move |_| {
        let q = query.get();
        prepared.with(|prepared| {
            list.with(|l| {
                let matching: Vec<&Peering> = prepared
                    .select(&l.peerings, &q.search, q.state)
                    .into_iter()
                    .filter_map(|i| l.peerings.get(i))
                    .collect();
                let (rows, page, pages) = page_of(&matching, q.page);
                let rows: Vec<Peering> = rows.iter().map(|p| (*p).clone()).collect();
                (rows, matching.len(), page, pages)
            })
        })
    });
    let shown_memo = Memo::new(move |_| view_state.with(|v| v.0.clone()));
    // What moves at every heartbeat is read by each row from here (rows are not keyed on it).
    let latest = Memo::new(move |_| {
        shown_memo.with(|ps| {
            ps.iter()
                .map(|p| (p.name.clone(), p.clone()))
                .collect::<HashMap<_, _>>()
        })
    });
    view! { class=class_name,
        {move || filtered.get().then(|| view! { <p class="notice">"Some peerings are hidden: your token may not read them (Consul filtered the list by ACLs)."</p> })}
        <p class="count" aria-live="polite">
            {move || {
                let n = view_state.with(|v| v.1);
                let total = total.get();
                if n == total { format!("{total} peering{}", if total == 1 { "" } else { "s" }) } else { format!("{n} of {total} peerings") }
            }}
        </p>
        <table class="data" aria-label="Peerings">
            <thead>
                <tr>
                    <th scope="col" aria-sort=move || sort_aria(query.get(), SortKey::Name)>"Peer"</th>
                    <th scope="col" aria-sort=move || sort_aria(query.get(), SortKey::State)>"State"</th>
                    <th scope="col">"Remote"</th>
                    <th scope="col" class="num" title="Services this cluster imports from the peer">"Imported"</th>
                    <th scope="col" class="num" title="Services this cluster exports to the peer">"Exported"</th>
                    <th scope="col" aria-sort=move || sort_aria(query.get(), SortKey::Heartbeat)>"Last heartbeat"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=move || shown_memo.get() key=row_key let:p>
                    <PeerRow p latest now on_delete write_denied write_title />
                </For>
            </tbody>
        </table>
        {move || (shown_memo.with(Vec::is_empty) && total.get() > 0).then(|| view! { <p class="empty-filter">"No peering matches this search or filter."</p> })}
        {move || {
            let (_, _, page, pages) = view_state.get();
            (pages > 1).then(|| view! {
                <nav class="pager" aria-label="Pages">
                    <button type="button" class="secondary" disabled={page <= 1} on:click=move |_| go_to_page.run(page - 1)>"Previous"</button>
                    <span aria-current="page">{format!("Page {page} of {pages}")}</span>
                    <button type="button" class="secondary" disabled={page >= pages} on:click=move |_| go_to_page.run(page + 1)>"Next"</button>
                </nav>
            })
        }}
    }
}

/// A row is rebuilt only when something it shows changes (cheap to compute, no Debug formatting).
/// Not on heartbeats: they move every few seconds, and rebuilding would take the keyboard focus
/// out of the row; the row reads them from the latest list instead.
fn row_key(p: &Peering) -> (String, u64, PeeringState, usize, usize) {
    (
        p.name.clone(),
        p.modify_index,
        p.state,
        p.imported_count(),
        p.exported_count(),
    )
}

fn sort_aria(q: ListQuery, key: SortKey) -> &'static str {
    match (q.sort == key, q.descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    }
}

#[component]
fn PeerRow(
    p: Peering,
    /// The shown peerings as last polled, by name: the row's heartbeat and staleness.
    latest: Memo<HashMap<String, Peering>>,
    now: Memo<Option<i64>>,
    on_delete: Callback<String>,
    /// Computed once for the table, not per row: rows are rebuilt on every search keystroke.
    write_denied: Signal<bool>,
    write_title: Signal<Option<String>>,
) -> impl IntoView {
    let remote = match (p.remote.datacenter.as_str(), p.remote.partition.as_str()) {
        ("", _) => "—".to_string(),
        (dc, "" | "default") => dc.to_string(),
        (dc, partition) => format!("{dc} / {partition}"),
    };
    let current = {
        let name = p.name.clone();
        let first = p.clone();
        Memo::new(move |_| latest.with(|m| m.get(&name).cloned().unwrap_or_else(|| first.clone())))
    };
    // Unset times (Consul 1.14 sends zero times) read as never, in the text and the tooltip.
    let heartbeat_at = Memo::new(move |_| {
        current.with(|p| {
            let stream = p.stream();
            set_time(stream.last_heartbeat.as_deref())
                .or(set_time(stream.last_receive.as_deref()))
                .map(str::to_string)
        })
    });
    // Ages follow the server clock of each poll, without re-creating the row.
    let heartbeat = move || {
        heartbeat_at
            .with(|at| describe_time(at.as_deref(), now.get()))
            .unwrap_or_else(|| "None yet".into())
    };
    let stale = move || {
        match current.with(|p| freshness(p, now.get())) {
        Freshness::Stale { .. } => Some(view! {
            <span class="stale" title="Consul reports Active, but nothing was received for longer than its 2-minute timeout">
                "Stale: no heartbeat for over 2 min"
            </span>
        }.into_any()),
        Freshness::Unknown => Some(view! {
            <span class="stale" title=NO_SERVER_CLOCK>"Can't tell if alive: no server clock"</span>
        }.into_any()),
        _ => None,
    }
    };
    let name = p.name.clone();
    let row_name = p.name.clone();
    let link_text = p.name.clone();
    let href = Route::peer(&p.name);
    let deletable = p.can_delete();
    let regenerable = p.can_regenerate();
    let regenerate_href = Route::peer_panel(&p.name, PeerPanel::Regenerate);
    view! {
        <tr data-peer=row_name>
            <td>
                <AppLink href=href><bdi>{link_text}</bdi></AppLink>
            </td>
            <td><StateBadge state=p.state />{stale}</td>
            <td>{remote}</td>
            <td class="num">{p.imported_count()}</td>
            <td class="num">{p.exported_count()}</td>
            <td title=move || heartbeat_at.get().unwrap_or_default()>{heartbeat}</td>
            <td>
                <div class="row-actions">
                    {regenerable.then(|| view! {
                        {move || if write_denied.get() {
                            view! { <span class="button-link disabled" role="link" aria-disabled="true" title=write_title.get()>"Regenerate token"</span> }.into_any()
                        } else {
                            view! { <AppLink href=regenerate_href.clone()>"Regenerate token"</AppLink> }.into_any()
                        }}
                    })}
                    {deletable.then(|| view! {
                        <button type="button" class="secondary" aria-label=format!("Delete {name}")
                            disabled=move || write_denied.get() title=move || write_title.get()
                            on:click=move |_| on_delete.run(name.clone())>
                            "Delete"
                        </button>
                    })}
                </div>
            </td>
        </tr>
    }
}
