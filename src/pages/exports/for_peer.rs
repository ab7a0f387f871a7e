//! A peer's "Exported services" tab: what this cluster lets that peer import, what the peering's
//! stream carries right now, and adding or removing a service.
use crate::components::app_link::AppLink;
use crate::components::field_errors::FieldErrors;
use crate::components::service_options::LocalServiceOptions;
use crate::model::checks::exporter::checkable;
use crate::model::exports::entry::{exported_to, ExportChange, ServiceKey};
use crate::pages::exports::editor::{use_exports_editor, ExportsEditor};
use crate::pages::exports::review::{entry_view, ExportField, ExportsFlow, WildcardWarning};
use crate::routes::{ExportsQuery, Route};
use leptos::prelude::*;

/// `carried` is the peering's live `StreamStatus.ExportedServices`.
#[component]
pub fn ExportsForPeer(#[prop(into)] peer: String, carried: Signal<Vec<String>>) -> impl IntoView {
    let editor = use_exports_editor();
    let all_href = Route::Exports(ExportsQuery {
        service: String::new(),
        peer: peer.clone(),
    });
    let peer = StoredValue::new(peer);
    view! {
        <section class="peer-exports" aria-label="Exports to this peer">
            <div class="page-header">
                <h2>"What this cluster exports to " <bdi>{peer.get_value()}</bdi></h2>
                <AppLink href=all_href>"All exports"</AppLink>
            </div>
            <p class="hint">
                "From this cluster's exported-services entry. Every change is written with check-and-set, "
                "so a change someone else made meanwhile is never overwritten."
            </p>
            <ExportsFlow editor>
                <ExportList editor peer=peer.get_value() carried />
                <AddExport editor peer=peer.get_value() />
            </ExportsFlow>
            <p class="hint" aria-live="polite">
                {move || {
                    let names = carried.get();
                    let p = peer.get_value();
                    if names.is_empty() {
                        view! { "The peering's stream carries no service to " <bdi>{p}</bdi> " yet." }.into_any()
                    } else {
                        view! { "The peering's stream carries to " <bdi>{p}</bdi> " now: " {names_view(names)} "." }.into_any()
                    }
                }}
            </p>
        </section>
    }
}

#[component]
fn ExportList(editor: ExportsEditor, peer: String, carried: Signal<Vec<String>>) -> impl IntoView {
    let peer = StoredValue::new(peer);
    entry_view(editor, move |entry| {
        let list = exported_to(entry.as_ref(), &peer.get_value());
        if list.is_empty() {
            return view! {
                    <p class="empty-filter">"Nothing is exported to " <bdi>{peer.get_value()}</bdi> " yet: it can import none of this cluster's services."</p>
                }
                .into_any();
        }
        let rows = list
            .into_iter()
            .map(|service| view! { <ExportRowView editor peer=peer.get_value() service carried /> })
            .collect_view();
        view! {
            <table class="data" aria-label=peer.with_value(|p| format!("Services exported to {p}"))>
                <thead><tr>
                    <th scope="col">"Service"</th>
                    <th scope="col">"What " <bdi>{peer.get_value()}</bdi> " receives now"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    })
}

#[component]
fn ExportRowView(
    editor: ExportsEditor,
    peer: String,
    service: ServiceKey,
    carried: Signal<Vec<String>>,
) -> impl IntoView {
    let label = service.label();
    let wildcard = service.is_wildcard();
    let name = service.name.clone();
    let received = move || {
        let names = carried.get();
        if wildcard {
            match names.len() {
                0 => "No service yet".into_any(),
                n => {
                    let count = format!("{n} service{}: ", if n == 1 { "" } else { "s" });
                    view! { {count} {names_view(names)} }.into_any()
                }
            }
        } else if names.contains(&name) {
            "Carried by the stream".into_any()
        } else {
            "Not carried yet (waiting for the stream, or no such service)".into_any()
        }
    };
    let remove_label = format!("Stop exporting {label} to {peer}");
    let change = ExportChange::Remove {
        service: service.clone(),
        peer,
    };
    let key = service.clone();
    // "Why can't the peer see it?" for a named service (not for `*`).
    let check = checkable(&service.name).then(|| {
        let href = Route::WhyExport {
            peer: change.peer().to_string(),
            service: service.name.clone(),
        };
        let (to, what) = (change.peer().to_string(), service.name.clone());
        view! { <AppLink href>"Check"<span class="visually-hidden">" whether " <bdi>{to}</bdi> " can see " <bdi>{what}</bdi></span></AppLink> " " }
    });
    view! {
        <tr>
            <td>
                <code><bdi>{label}</bdi></code>
                {wildcard.then(|| view! { " " <span class="peer-tag">"every service"</span> })}
                <FieldErrors id=format!("export-{}-error", service.name) messages=Signal::derive(move || editor.problems_for(&key)) />
            </td>
            <td>{received}</td>
            <td>
                {check}
                <button type="button" class="secondary" aria-label=remove_label
                    disabled=move || !editor.ready() title=move || editor.title()
                    on:click=move |_| editor.propose(change.clone())>"Stop exporting"</button>
            </td>
        </tr>
    }
}

/// Picker from this cluster's catalog; free text and `*` are allowed.
#[component]
fn AddExport(editor: ExportsEditor, peer: String) -> impl IntoView {
    let adding = RwSignal::new(String::new());
    let peer = StoredValue::new(peer);
    let messages =
        Signal::derive(move || editor.problems_for_typed(&adding.get(), Some(&peer.get_value())));
    let on_submit =
        editor.on_submit(move || ExportChange::add(&adding.get_untracked(), &peer.get_value()));
    view! {
        <form class="add-export" on:submit=on_submit novalidate=true aria-label="Export a service">
            <label for="export-service">"Export a service to " <bdi>{peer.get_value()}</bdi></label>
            <div class="inline-fields">
                <ExportField editor id="export-service" list="export-local-services" placeholder="a service name, or * for all"
                    value=adding errors="export-service-error" invalid=Signal::derive(move || !messages.get().is_empty()) />
                <button type="submit" disabled=move || !editor.ready() title=move || editor.title()>"Review export"</button>
            </div>
            <LocalServiceOptions id="export-local-services" />
            {move || (adding.get().trim() == "*").then(|| view! { <WildcardWarning peer=peer.get_value() /> })}
            <FieldErrors id="export-service-error" messages />
        </form>
    }
}

/// Service names separated by commas, each isolated (an override in one must not reorder the
/// list around it).
fn names_view(names: Vec<String>) -> impl IntoView {
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| view! { {(i > 0).then_some(", ")} <bdi>{n}</bdi> })
        .collect_view()
}
