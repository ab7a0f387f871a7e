//! Confirming a rule's delete: what it removes (the whole entry when it is the last rule).
use super::editor::RuleEditor;
use crate::model::intentions::edit::sources;
use leptos::prelude::*;

#[component]
pub(super) fn DeleteConfirm(editor: RuleEditor) -> impl IntoView {
    // The safe choice takes the focus when the confirmation opens.
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move || {
        if let Some(button) = cancel_ref.get() {
            let _ = button.focus();
        }
    });
    let busy = move || editor.busy();
    move || {
        editor.confirm_delete.get().then(|| {
            let key = editor.original.get_value().unwrap_or_default();
            let dest = editor.form.destination.get_untracked();
            let last = editor
                .base
                .with(|b| b.as_ref().is_none_or(|b| sources(b).len() <= 1));
            let text = if last {
                format!("It is the only rule for {dest}, so the whole service-intentions entry for {dest} is deleted. Its connections then get the cluster's default.")
            } else {
                format!("The other rules for {dest} stay as they are.")
            };
            view! {
                <div class="confirm" role="alertdialog" aria-labelledby="ix-delete-title" aria-describedby="ix-delete-text">
                    <h2 id="ix-delete-title">{format!("Delete the rule {} → {dest}?", key.label())}</h2>
                    <p id="ix-delete-text">{text}</p>
                    <div class="buttons">
                        <button type="button" class="danger" disabled=busy
                            on:click=move |_| { if !busy() { editor.confirm_delete.set(false); editor.delete(); } }>
                            {move || if editor.edit.saving() { "Deleting…" } else { "Delete" }}
                        </button>
                        <button type="button" class="secondary" disabled=busy node_ref=cancel_ref
                            on:click=move |_| editor.confirm_delete.set(false)>"Cancel"</button>
                    </div>
                </div>
            }
        })
    }
}
