//! The intentions that name one peer as source, for a peer's detail page.
use crate::api::config_entries::list_entries;
use crate::components::app_link::AppLink;
use crate::components::loaded::{use_loaded, LoadedView};
use crate::model::intentions::edit::KIND;
use crate::model::intentions::rows::rows_from_peer;
use crate::pages::intentions::table::IntentionTable;
use crate::routes::Route;
use leptos::prelude::*;

/// Rules whose source is a service of `peer`, with a link to add one.
#[component]
pub fn IntentionsForPeer(#[prop(into)] peer: String) -> impl IntoView {
    let entries = use_loaded(|| list_entries(KIND));
    let new_href = Route::new_intention(&peer, "");
    let peer = StoredValue::new(peer);
    view! {
        <section class="peer-intentions" aria-label="Intentions from this peer">
            <div class="page-header">
                <h2>"Intentions from this peer"</h2>
                <AppLink href=new_href>"New intention from this peer"</AppLink>
            </div>
            <LoadedView loaded=entries.status() what="intentions">
                {move || {
                    match entries.get() {
                        None => ().into_any(),
                        Some(list) => {
                            let rows = peer.with_value(|p| rows_from_peer(&list, p));
                            if rows.is_empty() {
                                view! {
                                    <p class="empty-state">
                                        {peer.with_value(|p| format!("No intention names a service of {p} as its source: their connections get the cluster's default."))}
                                    </p>
                                }.into_any()
                            } else {
                                view! { <IntentionTable rows /> }.into_any()
                            }
                        }
                    }
                }}
            </LoadedView>
        </section>
    }
}
