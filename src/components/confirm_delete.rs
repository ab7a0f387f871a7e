use crate::api::peering::delete_peering;
use crate::components::error_view::ErrorView;
use leptos::prelude::*;

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
