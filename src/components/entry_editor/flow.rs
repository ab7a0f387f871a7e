//! The whole edit on one page: the status line, a failure, then the feature's form (or list)
//! while editing, the review before a save, and the conflict after a lost race.
use super::conflict::ConflictPanel;
use super::review::ReviewPanel;
use super::EntryEditor;
use crate::components::error_view::ErrorView;
use crate::model::entry_edit::{EntryChange, Stage};
use leptos::prelude::*;

/// Where the edit is, without the proposal: what decides which part is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Form,
    Review,
    Conflict,
}

fn part_of<C>(stage: &Stage<C>) -> Part {
    match stage {
        Stage::Editing => Part::Form,
        Stage::Reviewing(_) => Part::Review,
        Stage::Conflict { .. } => Part::Conflict,
    }
}

/// `children` is the feature's form or list, shown while editing; it proposes changes with
/// `editor.propose(change)`.
#[component]
pub fn EntryEditorFlow<C: EntryChange>(
    editor: EntryEditor<C>,
    /// The review's way back to the form or list, e.g. "Back to the list".
    #[prop(into)]
    back_label: String,
    /// The review's heading; "Review: <the change>" by default.
    #[prop(optional, into)]
    review_title: Option<String>,
    /// The conflict's way back; "Discard my change" by default.
    #[prop(optional, into)]
    discard_label: Option<String>,
    /// The token may not write: Save is disabled, naming the permission in `denied_title`.
    #[prop(optional, into)]
    denied: Signal<bool>,
    #[prop(optional, into)] denied_title: Signal<Option<String>>,
    /// Between the review's heading and its preview: a warning about the change (it may read
    /// `editor.reviewing()`).
    #[prop(optional, into)]
    note: Option<ViewFn>,
    /// Replaces the conflict view (a delete is confirmed again instead of reapplied).
    #[prop(optional, into)]
    conflict: Option<ViewFn>,
    /// Keeps the form mounted, hidden, during a review: unmounting thousands of rows and
    /// mounting them again costs more than the review itself.
    #[prop(optional)]
    keep_form: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let editing = Memo::new(move |_| editor.stage.with(Stage::is_editing));
    let form = if keep_form {
        view! { <div hidden=move || !editing.get()>{children()}</div> }.into_any()
    } else {
        (move || editing.get().then(|| children())).into_any()
    };
    let discard_label = discard_label.unwrap_or_else(|| "Discard my change".into());
    let panel = move || match editor.stage.with(part_of) {
        Part::Form => ().into_any(),
        Part::Review => view! {
            <ReviewPanel editor title=review_title.clone() back_label=back_label.clone()
                denied denied_title note=note.clone() />
        }
        .into_any(),
        Part::Conflict => match &conflict {
            Some(view) => view.run(),
            None => view! { <ConflictPanel editor back_label=discard_label.clone() /> }.into_any(),
        },
    };
    view! {
        <StatusLine text=editor.status />
        {move || editor.failure.get().map(|error| view! { <ErrorView error /> })}
        {form}
        {panel}
    }
}

/// What an editor did ("Saved: export api to dc2."), announced: the one way every editor says
/// it, also on the page an editor returns to.
#[component]
pub fn StatusLine(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    move || {
        text.get()
            .map(|text| view! { <p class="notice done" role="status">{text}</p> })
    }
}
