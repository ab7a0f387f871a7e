use crate::api::config_entries::{list_entries_with_policy, EntryList};
use crate::components::app_link::AppLink;
use crate::components::entry_editor::StatusLine;
use crate::components::loaded::{use_loaded, LoadedView};
use crate::components::notices::use_flash;
use crate::model::intentions::edit::KIND;
use crate::model::intentions::rows::{intention_rows, row_matches, IntentionRow, ANY, LOCAL};
use crate::pages::intentions::table::IntentionTable;
use crate::pages::intentions::talk::CanItTalk;
use crate::routes::Route;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// `/intentions`: every source rule of every `service-intentions` entry.
#[component]
pub fn IntentionsPage() -> impl IntoView {
    let entries = use_loaded(|| list_entries_with_policy(KIND));
    // The editor comes back here with what it did, so the operator sees it took effect.
    let done = use_flash().take();
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"Intentions"</h1>
                <AppLink href=Route::new_intention("", "")>"New intention"</AppLink>
            </div>
            <StatusLine text=Signal::stored(done) />
            <LoadedView loaded=entries.status() what="intentions">
                {move || {
                    match entries.get() {
                        None => ().into_any(),
                        Some(EntryList { entries: list, default_policy: policy, filtered_by_acls }) => {
                            let hidden = filtered_by_acls.then(|| view! {
                                <p class="notice">"Some intentions are hidden: your token may not read them (intentions:read on their destination)."</p>
                            });
                            let rows = intention_rows(&list);
                            if rows.is_empty() {
                                view! {
                                    {hidden}
                                    <div class="empty-state">
                                        <h2>"No intentions yet"</h2>
                                        <p>"Intentions decide which services may call which. Sources from peered clusters are marked with their peer."</p>
                                    </div>
                                    <CanItTalk entries=list default_policy=policy />
                                }.into_any()
                            } else {
                                view! {
                                    {hidden}
                                    <IntentionBrowser rows />
                                    <CanItTalk entries=list default_policy=policy />
                                }.into_any()
                            }
                        }
                    }
                }}
            </LoadedView>
        </section>
    }
}

/// Search and filters over the rows.
#[component]
fn IntentionBrowser(rows: Vec<IntentionRow>) -> impl IntoView {
    let peers: BTreeSet<String> = rows.iter().filter_map(|r| r.source_peer.clone()).collect();
    let destinations: BTreeSet<String> = rows.iter().map(|r| r.destination.clone()).collect();
    let search = RwSignal::new(String::new());
    let peer = RwSignal::new(ANY.to_string());
    let destination = RwSignal::new(ANY.to_string());
    let action = RwSignal::new(ANY.to_string());
    let rows = StoredValue::new(rows);
    let shown = move || {
        let (s, p, d, a) = (search.get(), peer.get(), destination.get(), action.get());
        rows.with_value(|all| {
            all.iter()
                .filter(|r| row_matches(r, &s, &p, &d, &a))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let total = rows.with_value(Vec::len);
    view! {
        <div class="filters" role="search">
            <label>
                "Search"
                <input type="search" placeholder="service, peer, description"
                    prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
            </label>
            <label>
                "Source peer"
                <select on:change=move |ev| peer.set(event_target_value(&ev))>
                    <option value=ANY>"Any"</option>
                    <option value=LOCAL>"This cluster only"</option>
                    {peers.into_iter().map(|p| view! { <option value=p.clone()>{p.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Destination"
                <select on:change=move |ev| destination.set(event_target_value(&ev))>
                    <option value=ANY>"Any"</option>
                    {destinations.into_iter().map(|d| view! { <option value=d.clone()>{d.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Action"
                <select on:change=move |ev| action.set(event_target_value(&ev))>
                    <option value=ANY>"Any"</option>
                    <option value="allow">"allow"</option>
                    <option value="deny">"deny"</option>
                    <option value="l7">"L7 permissions"</option>
                </select>
            </label>
        </div>
        {move || {
            let rows = shown();
            let count = rows.len();
            view! {
                <p class="count" aria-live="polite">{format!("{count} of {total} rules")}</p>
                <IntentionTable rows />
            }
        }}
    }
}
