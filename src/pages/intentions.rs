use crate::api::config_entries::list_entries;
use crate::components::error_view::ErrorView;
use crate::components::loading::Loading;
use crate::model::intentions::{intention_rows, IntentionRow};
use leptos::prelude::*;

/// `/intentions`: every source rule of every `service-intentions` entry.
#[component]
pub fn IntentionsPage() -> impl IntoView {
    let entries = LocalResource::new(|| list_entries("service-intentions"));
    let retry = Callback::new(move |_| entries.refetch());
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"Intentions"</h1>
            </div>
            <Transition fallback=|| view! { <Loading what="intentions" /> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) => {
                            let rows = intention_rows(&list);
                            if rows.is_empty() {
                                view! {
                                    <div class="empty-state">
                                        <h2>"No intentions yet"</h2>
                                        <p>"Intentions decide which services may call which. Sources from peered clusters are marked with their peer."</p>
                                    </div>
                                }.into_any()
                            } else {
                                view! { <IntentionTable rows /> }.into_any()
                            }
                        }
                        Err(error) => view! { <ErrorView error on_retry=retry /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn IntentionTable(rows: Vec<IntentionRow>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let peer = row.source_peer.clone().map(|peer| view! { <span class="peer-tag" title="From a peered cluster">"peer: " {peer}</span> });
            view! {
                <tr>
                    <td>{row.source.clone()} " " {peer}</td>
                    <td>{row.destination.clone()}</td>
                    <td>{row.action.label()}</td>
                    <td>{row.description.clone()}</td>
                    <td>{row.precedence.map(|p| p.to_string()).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" aria-label="Intentions">
            <thead>
                <tr>
                    <th scope="col">"Source"</th>
                    <th scope="col">"Destination"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col">"Precedence"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}
