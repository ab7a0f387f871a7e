//! `/exports[?service=&peer=]`: every exported service with the peers that may import it,
//! editable per row, filtered by service and by peer.
use crate::api::peering::list_peerings;
use crate::components::app_link::AppLink;
use crate::components::field_errors::FieldErrors;
use crate::components::loaded::use_loaded;
use crate::components::service_options::LocalServiceOptions;
use crate::model::checks::exporter::checkable;
use crate::model::exports::entry::{filter_rows, peers_named, rows, ExportChange, ExportRow};
use crate::model::peers::list::page_of;
use crate::pages::exports::editor::{use_exports_editor, ExportsEditor};
use crate::pages::exports::review::{entry_view, ExportField, ExportsFlow, WildcardWarning};
use crate::routes::hooks::{use_replace_route, use_route_part, use_url_filter};
use crate::routes::{ExportsQuery, Route};
use leptos::prelude::*;

#[component]
pub fn ExportsPage() -> impl IntoView {
    let editor = use_exports_editor();
    // The filters live in the URL, as on Peers: the service as typed (`use_url_filter`), the
    // peer at once.
    let query = use_route_part(|r| match r {
        Route::Exports(q) => Some(q.clone()),
        _ => None,
    });
    let replace = use_replace_route();
    let replace_service = replace.clone();
    let (service_filter, on_service) = use_url_filter(
        Memo::new(move |_| query.with(|q| q.service.clone())),
        move |service| {
            replace_service(&Route::Exports(ExportsQuery {
                service,
                peer: query.with_untracked(|q| q.peer.clone()),
            }))
        },
    );
    let peer_filter: Signal<String> = Memo::new(move |_| query.with(|q| q.peer.clone())).into();
    // Callbacks are Copy: the filters sit in the editor's form, which renders more than once.
    let set_peer = Callback::new(move |peer: String| {
        replace(&Route::Exports(ExportsQuery {
            service: service_filter.get_untracked(),
            peer,
        }))
    });
    let on_service = Callback::new(move |typed: String| on_service(typed));
    let peerings = use_loaded(list_peerings);
    // This cluster's peerings, once known: an export to a name that is not one of them reaches
    // nobody until a peering of that name is established.
    let peered: Signal<Option<Vec<String>>> = Memo::new(move |_| {
        peerings
            .get()
            .map(|l| l.peerings.into_iter().map(|p| p.name).collect())
    })
    .into();
    // Peer choices: existing peerings and any peer the entry names (it may name one not peered yet).
    let peer_names = Memo::new(move |_| {
        let mut names: Vec<String> = peerings
            .get()
            .map(|l| l.peerings.into_iter().map(|p| p.name).collect())
            .unwrap_or_default();
        editor.entry.data.with(|e| {
            if let Some(entry) = e {
                names.extend(peers_named(entry.as_ref()));
            }
        });
        names.sort();
        names.dedup();
        names
    });
    let page = RwSignal::new(1usize);
    // Other filters, another list: back to its first page.
    Effect::new(move |before: Option<(String, String)>| {
        let now = (service_filter.get(), peer_filter.get());
        if before.is_some_and(|b| b != now) {
            page.set(1);
        }
        now
    });
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"Exports"</h1>
            </div>
            <p class="intro">
                "Which services of this cluster each peer may import: this cluster's exported-services entry. "
                "A peer sees nothing until a service is exported to it. Every change is written with check-and-set, "
                "so a change someone else made meanwhile is never overwritten."
            </p>
            <datalist id="exports-peers">
                {move || peer_names.get().into_iter().map(|p| view! { <option value=p></option> }).collect_view()}
            </datalist>
            <ExportsFlow editor>
                    <div class="filters" role="search" aria-label="Filter exports">
                        <label>"Service"
                            <input type="search" placeholder="name contains…" prop:value=service_filter
                                on:input=move |ev| on_service.run(event_target_value(&ev)) />
                        </label>
                        <label>"Peer"
                            <select prop:value=peer_filter on:change=move |ev| set_peer.run(event_target_value(&ev))>
                                <option value="">"All peers"</option>
                                {move || peer_names.get().into_iter().map(|p| {
                                    let selected = peer_filter.get_untracked() == p;
                                    view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    </div>
                    <ExportTable editor service_filter peer_filter peered page />
                    <NewExport editor service=service_filter.get_untracked() peer=peer_filter.get_untracked() />
            </ExportsFlow>
        </section>
    }
}

#[component]
fn ExportTable(
    editor: ExportsEditor,
    service_filter: RwSignal<String>,
    peer_filter: Signal<String>,
    peered: Signal<Option<Vec<String>>>,
    /// 1-based; pages of the peers list's size, so thousands of services stay quick to show.
    page: RwSignal<usize>,
) -> impl IntoView {
    entry_view(editor, move |entry| {
        let all = rows(entry.as_ref());
        if all.is_empty() {
            return view! {
                    <p class="empty-state">"This cluster exports nothing yet: no peer can import any of its services."</p>
                }
                .into_any();
        }
        let shown = filter_rows(&all, &service_filter.get(), &peer_filter.get());
        let count = format!("{} of {} exported services", shown.len(), all.len());
        let (slice, at, pages) = page_of(&shown, page.get());
        let body = slice
            .iter()
            .cloned()
            .map(|row| view! { <ServiceRow editor row peered /> })
            .collect_view();
        let pager = (pages > 1).then(|| view! {
            <nav class="pager" aria-label="Pages">
                <button type="button" class="secondary" disabled={at <= 1} on:click=move |_| page.set(at - 1)>"Previous"</button>
                <span aria-current="page">{format!("Page {at} of {pages}")}</span>
                <button type="button" class="secondary" disabled={at >= pages} on:click=move |_| page.set(at + 1)>"Next"</button>
            </nav>
        });
        view! {
            <p class="count" aria-live="polite">{count}</p>
            <table class="data" aria-label="Exported services">
                <thead><tr>
                    <th scope="col">"Service"</th>
                    <th scope="col">"Peers that may import it"</th>
                    <th scope="col">"Other consumers (kept as they are)"</th>
                    <th scope="col">"Export to another peer"</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
            {pager}
        }
        .into_any()
    })
}

#[component]
fn ServiceRow(
    editor: ExportsEditor,
    row: ExportRow,
    peered: Signal<Option<Vec<String>>>,
) -> impl IntoView {
    let ExportRow {
        service,
        peers,
        others,
    } = row;
    let label = service.label();
    let adding = RwSignal::new(String::new());
    let key = service.clone();
    let messages = Signal::derive(move || editor.problems_for(&key));
    let invalid = Signal::derive(move || !messages.get().is_empty());
    let peer_chips = peers
        .into_iter()
        .map(|peer| {
            let change = ExportChange::Remove {
                service: service.clone(),
                peer: peer.clone(),
            };
            let remove_label = format!("Stop exporting {label} to {peer}");
            let check = checkable(&service.name).then(|| {
                let href = Route::WhyExport {
                    peer: peer.clone(),
                    service: service.name.clone(),
                };
                let (to, what) = (peer.clone(), service.name.clone());
                view! { " " <AppLink href>"Check"<span class="visually-hidden">" whether " <bdi>{to}</bdi> " can see " <bdi>{what}</bdi></span></AppLink> }
            });
            let name = peer.clone();
            let unknown = move || {
                peered
                    .get()
                    .is_some_and(|names| !names.contains(&name))
                    .then(|| view! { <span class="hint" title="No peering of this name exists on this cluster yet: the export reaches nobody until one does.">"(not peered)"</span> })
            };
            view! {
                <li class="consumer">
                    <bdi>{peer}</bdi>
                    {unknown}
                    {check}
                    <button type="button" class="secondary small" aria-label=remove_label
                        disabled=move || !editor.ready() title=move || editor.title()
                        on:click=move |_| editor.propose(change.clone())>"×"</button>
                </li>
            }
        })
        .collect_view();
    let others = if others.is_empty() {
        "—".into_any()
    } else {
        others
            .into_iter()
            .enumerate()
            .map(|(i, n)| view! { {(i > 0).then_some(", ")} <bdi>{n}</bdi> })
            .collect_view()
            .into_any()
    };
    let to_add = service.clone();
    let on_submit = editor.on_submit(move || ExportChange::Add {
        service: to_add.clone(),
        peer: adding.get_untracked().trim().to_string(),
    });
    let input_id = format!("export-peer-{}", service.name);
    let error_id = format!("{input_id}-error");
    view! {
        <tr>
            <td>
                <code><bdi>{label.clone()}</bdi></code>
                {service.is_wildcard().then(|| view! { " " <span class="peer-tag">"every service"</span> })}
            </td>
            <td><ul class="consumers" aria-label=format!("Peers that may import {label}")>{peer_chips}</ul></td>
            <td>{others}</td>
            <td>
                <form class="inline-fields" on:submit=on_submit novalidate=true>
                    <ExportField editor id=input_id list="exports-peers" placeholder="peer name"
                        label=format!("Peer to export {label} to") value=adding errors=error_id.clone() invalid />
                    <button type="submit" class="secondary" aria-label=format!("Export {label} to this peer")
                        disabled=move || !editor.ready() title=move || editor.title()>"Export"</button>
                </form>
                <FieldErrors id=error_id messages />
            </td>
        </tr>
    }
}

/// A service not exported yet, to a peer: pre-filled from the page's link (a checklist's fix
/// links here with the service and the peer).
#[component]
fn NewExport(editor: ExportsEditor, service: String, peer: String) -> impl IntoView {
    let service = RwSignal::new(service);
    let peer = RwSignal::new(peer);
    let messages = Signal::derive(move || editor.problems_for_typed(&service.get(), None));
    let invalid = Signal::derive(move || !messages.get().is_empty());
    let on_submit = editor
        .on_submit(move || ExportChange::add(&service.get_untracked(), &peer.get_untracked()));
    view! {
        <form class="new-export editor" on:submit=on_submit novalidate=true aria-label="Export a service">
            <h2>"Export a service"</h2>
            <div class="inline-fields">
                <div class="field">
                    <label for="new-export-service">"Service"</label>
                    <ExportField editor id="new-export-service" list="exports-local-services" placeholder="a service name, or * for all"
                        value=service errors="new-export-error" invalid />
                </div>
                <div class="field">
                    <label for="new-export-peer">"Peer"</label>
                    <ExportField editor id="new-export-peer" list="exports-peers" placeholder="peer name"
                        value=peer errors="new-export-error" invalid />
                </div>
                <button type="submit" disabled=move || !editor.ready() title=move || editor.title()>"Review export"</button>
            </div>
            <LocalServiceOptions id="exports-local-services" />
            {move || (service.get().trim() == "*").then(|| view! { <WildcardWarning peer=peer.get() /> })}
            <FieldErrors id="new-export-error" messages />
        </form>
    }
}
