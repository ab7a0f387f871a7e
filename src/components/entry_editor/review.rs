//! The review step: what the save will write (preview, diff, command), then Save or Back.
use super::preview::EntryPreview;
use super::EntryEditor;
use crate::components::focus_heading::FocusHeading;
use crate::model::entry_edit::EntryChange;
use leptos::prelude::*;
use serde_json::Value;

/// Shown while the editor is reviewing; `note` comes between the heading and the preview (a
/// warning about the change). `title` replaces "Review: <the change>".
#[component]
pub fn ReviewPanel<C: EntryChange>(
    editor: EntryEditor<C>,
    title: Option<String>,
    back_label: String,
    /// The token may not write: Save is disabled, naming the permission in `denied_title`.
    denied: Signal<bool>,
    denied_title: Signal<Option<String>>,
    note: Option<ViewFn>,
) -> impl IntoView {
    // Only this part knows the change's type; the view below is shared by every editor.
    let Some(proposal) = editor.reviewing() else {
        return ().into_any();
    };
    let title = title.unwrap_or_else(|| format!("Review: {}", proposal.change.describe()));
    let subject = proposal.change.subject();
    let review = Review {
        before: proposal.before(),
        after: proposal.after().cloned(),
        cas: proposal.cas(),
    };
    let proposal = StoredValue::new(proposal);
    let actions = ReviewActions {
        save: Callback::new(move |_| editor.save(proposal.get_value())),
        back: Callback::new(move |_| editor.back()),
        saving: Signal::derive(move || editor.saving()),
        denied,
        denied_title,
    };
    view! { <ReviewView review actions title subject back_label note /> }.into_any()
}

/// What a review shows.
struct Review {
    before: Option<Value>,
    after: Option<Value>,
    cas: u64,
}

struct ReviewActions {
    save: Callback<()>,
    back: Callback<()>,
    saving: Signal<bool>,
    denied: Signal<bool>,
    denied_title: Signal<Option<String>>,
}

#[component]
fn ReviewView(
    review: Review,
    actions: ReviewActions,
    title: String,
    subject: String,
    back_label: String,
    note: Option<ViewFn>,
) -> impl IntoView {
    let ReviewActions {
        save,
        back,
        saving,
        denied,
        denied_title,
    } = actions;
    let Review { before, after, cas } = review;
    view! {
        <div class="review editor">
            <FocusHeading text=title />
            {note.map(|n| n.run())}
            <EntryPreview before after cas subject />
            <div class="buttons">
                <button type="button" disabled=move || saving.get() || denied.get() title=move || denied_title.get()
                    on:click=move |_| save.run(())>
                    {move || if saving.get() { "Saving…" } else { "Save" }}
                </button>
                <button type="button" class="secondary" disabled=move || saving.get() on:click=move |_| back.run(())>{back_label}</button>
            </div>
        </div>
    }
}
