//! The review step: what the save will write (preview, diff, command), then Save or Back.
use super::preview::EntryPreview;
use super::EntryEditor;
use crate::components::focus_heading::FocusHeading;
use crate::model::entry_edit::{EntryChange, Stage};
use leptos::prelude::*;

/// Shown while the editor is reviewing; `children` come between the heading and the preview
/// (a warning about the change).
#[component]
pub fn ReviewPanel<C: EntryChange>(
    editor: EntryEditor<C>,
    #[prop(into)] title: String,
    /// What a concurrent writer could have changed, e.g. "these intentions".
    #[prop(into)]
    subject: String,
    #[prop(into)] back_label: String,
    /// The token may not write: Save is disabled, naming the permission in `denied_title`.
    #[prop(into, optional)]
    denied: Signal<bool>,
    #[prop(into, optional)] denied_title: Signal<Option<String>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let Some(proposal) = editor.stage.with_untracked(|s| match s {
        Stage::Reviewing(p) => Some(p.clone()),
        _ => None,
    }) else {
        return ().into_any();
    };
    let cas = proposal.cas();
    let (before, after) = (proposal.before(), proposal.after().cloned());
    let proposal = StoredValue::new_local(proposal);
    let busy = move || editor.saving();
    view! {
        <div class="review editor">
            <FocusHeading text=title />
            {children.map(|c| c())}
            <EntryPreview before after cas subject />
            <div class="buttons">
                <button type="button" disabled=move || busy() || denied.get() title=move || denied_title.get()
                    on:click=move |_| editor.save(proposal.get_value())>
                    {move || if busy() { "Saving…" } else { "Save" }}
                </button>
                <button type="button" class="secondary" disabled=busy on:click=move |_| editor.back()>{back_label}</button>
            </div>
        </div>
    }
    .into_any()
}
