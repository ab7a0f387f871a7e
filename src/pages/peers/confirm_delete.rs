use crate::api::config_entries::list_entries;
use crate::api::peering::delete_peering;
use crate::api::ApiError;
use crate::components::app_link::AppLink;
use crate::components::cluster::{use_cluster, Cluster};
use crate::components::error_view::ErrorView;
use crate::components::loaded::use_loaded;
use crate::model::failover::resolver;
use crate::model::intentions::edit as intention_edit;
use crate::model::peers::impact::{references, PeerReference};
use crate::routes::{ExportsQuery, Route};
use leptos::prelude::*;
use serde_json::Value;
use std::future::Future;

/// Confirmation for deleting a peering: names the peer and says what follows.
#[component]
pub fn ConfirmDelete(
    #[prop(into)] peer: String,
    /// Called after Consul accepted the deletion.
    on_deleted: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let name = peer.clone();
    let delete = Action::new_local(move |_: &()| {
        let name = name.clone();
        async move { delete_peering(&name).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            on_deleted.run(());
        }
    });
    // Move focus to the confirmation so keyboard and screen-reader users land on it.
    let heading_ref = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(el) = heading_ref.get() {
            let _ = el.focus();
        }
    });
    let heading = format!("Delete peering \"{peer}\"?");
    let label = heading.clone();
    view! {
        <div class="confirm-panel" role="alertdialog" aria-modal="false" aria-label=label>
            <h2 tabindex="-1" node_ref=heading_ref>{heading}</h2>
            <ul>
                <li>"Services imported from " <strong>{peer.clone()}</strong> " disappear from this cluster."</li>
                <li>"Intentions that name this peer stop matching anything."</li>
                <li>"The other cluster sees the peering as Terminated."</li>
            </ul>
            <p>"Consul marks the peering Deleting, then removes it. Re-peering needs a new token."</p>
            <DeleteImpact peer=peer.clone() />
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorView error /> })}
            <div class="actions">
                <button
                    type="button"
                    class="danger"
                    disabled=move || delete.pending().get()
                    on:click=move |_| {
                        delete.dispatch(());
                    }
                >
                    {move || if delete.pending().get() { "Deleting…" } else { "Delete peering" }}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </div>
    }
}

/// What names the peer, read when the confirmation opens, and what could not be read.
#[derive(Clone, Debug, PartialEq)]
struct Impact {
    references: Vec<PeerReference>,
    unreadable: Vec<String>,
}

/// Reads `GET /v1/config/service-intentions`, `GET /v1/config/exported-services` and
/// `GET /v1/config/service-resolver`; a kind the token may not read is named, not fatal.
fn gather(peer: String, cluster: Cluster) -> impl Future<Output = Result<Impact, ApiError>> {
    let exports = cluster.read_exports();
    async move { gather_from(peer, exports).await }
}

async fn gather_from(
    peer: String,
    exports: impl Future<Output = Result<Option<Value>, ApiError>>,
) -> Result<Impact, ApiError> {
    let mut unreadable = Vec::new();
    let mut note = |what: &str, e: ApiError| unreadable.push(format!("{what} ({e})"));
    let intentions = list_entries(intention_edit::KIND)
        .await
        .unwrap_or_else(|e| {
            note("intentions", e);
            Vec::new()
        });
    let exported = exports.await.unwrap_or_else(|e| {
        note("exported services", e);
        None
    });
    let resolvers = list_entries(resolver::KIND).await.unwrap_or_else(|e| {
        note("service-resolvers", e);
        Vec::new()
    });
    Ok(Impact {
        references: references(&peer, &intentions, exported.as_ref(), &resolvers),
        unreadable,
    })
}

fn link_of(peer: &str, reference: &PeerReference) -> Route {
    match reference {
        PeerReference::IntentionSource { destination, key } => Route::EditIntention {
            destination: destination.clone(),
            key: key.clone(),
        },
        PeerReference::ExportConsumer { service } => Route::Exports(ExportsQuery {
            service: service.clone(),
            peer: peer.to_string(),
        }),
        PeerReference::FailoverTarget { service, .. } | PeerReference::Redirect { service } => {
            Route::failover_of(service)
        }
    }
}

/// The intentions, exports, failover targets and redirects that name the peer, each linked.
/// Nothing is changed: deleting the peering leaves them in place, naming a peer that is gone.
#[component]
fn DeleteImpact(peer: String) -> impl IntoView {
    let for_load = peer.clone();
    let cluster = use_cluster();
    let impact = use_loaded(move || gather(for_load.clone(), cluster));
    let peer = StoredValue::new(peer);
    move || {
        let Some(impact) = impact.get() else {
            return view! { <p class="hint" role="status">"Looking for what names this peer…"</p> }
                .into_any();
        };
        let unreadable = (!impact.unreadable.is_empty()).then(|| view! {
            <p class="notice warn">{format!("Could not check everything: {}.", impact.unreadable.join("; "))}</p>
        });
        let list = if impact.references.is_empty() {
            view! { <p data-testid="delete-impact">{peer.with_value(|p| format!("No intention, export, failover or redirect of this cluster names {p}."))}</p> }.into_any()
        } else {
            let items = impact
                .references
                .iter()
                .map(|r| {
                    let href = peer.with_value(|p| link_of(p, r));
                    let text = r.describe();
                    view! { <li><AppLink href=href>{text}</AppLink></li> }
                })
                .collect_view();
            view! {
                <h3>{peer.with_value(|p| format!("What names {p} (nothing here is changed)"))}</h3>
                <ul data-testid="delete-impact" aria-label="What names this peer">{items}</ul>
                <p class="hint">"Deleting the peering leaves these in place: they keep naming a peer that is gone. Change or remove them first if you do not want that."</p>
            }.into_any()
        };
        view! { {list} {unreadable} }.into_any()
    }
}
