//! One rule's editor on the shared check-and-set editor: the form, the review, the conflict
//! view and delete. Only the fields the operator changed are written (`IntentionChange`).
use super::delete::DeleteConfirm;
use super::form::{RuleForm, RuleFormView};
use crate::api::acl::may_write_intentions;
use crate::api::config_entries::find_entry;
use crate::api::ApiError;
use crate::components::app_link::AppLink;
use crate::components::entry_editor::conflict::ConflictPanel;
use crate::components::entry_editor::review::ReviewPanel;
use crate::components::entry_editor::{use_entry_editor, EntryEditor};
use crate::components::error_view::ErrorView;
use crate::components::loaded::use_loaded;
use crate::components::notices::use_flash;
use crate::components::session::{use_session, AclState};
use crate::model::consul::access::needs;
use crate::model::entry_edit::{EntryChange, Proposal, Stage};
use crate::model::intentions::change::IntentionChange;
use crate::model::intentions::edit::{
    check_draft, duplicates_other_rule, find_source, DraftProblem, Field, SourceDraft, SourceKey,
    KIND,
};
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::Value;

/// What the editor shares with its parts.
#[derive(Clone, Copy)]
pub(super) struct RuleEditor {
    pub form: RuleForm,
    pub edit: EntryEditor<IntentionChange>,
    /// The rule being edited (`None`: a new rule).
    pub original: StoredValue<Option<SourceKey>>,
    /// The version of the entry the operator is working on.
    pub base: RwSignal<Option<Value>>,
    pub confirm_delete: RwSignal<bool>,
    /// The token may not write intentions for the destination.
    pub write_denied: Signal<bool>,
    pub write_title: Signal<Option<String>>,
    review: Action<(), ()>,
}

impl RuleEditor {
    pub fn busy(self) -> bool {
        self.review.pending().get() || self.edit.saving()
    }

    pub fn preparing(self) -> bool {
        self.review.pending().get()
    }

    pub fn review(self) {
        if !self.busy() {
            self.review.dispatch(());
        }
    }

    /// Deletes the rule from the version the operator is looking at (confirmed already).
    pub fn delete(self) {
        let Some(key) = self.original.get_value() else {
            return;
        };
        let change = IntentionChange::Remove {
            destination: self.form.destination.get_untracked().trim().to_string(),
            key,
        };
        self.edit
            .save(Proposal::new(change, self.base.get_untracked()));
    }
}

#[component]
pub fn Editor(
    draft: SourceDraft,
    original: Option<SourceKey>,
    base: Option<Value>,
) -> impl IntoView {
    let editing = original.is_some();
    let form = RuleForm::new(&draft);
    let initial = StoredValue::new(draft);
    let original = StoredValue::new(original);
    let base = RwSignal::new(base);
    let navigate = use_navigate();
    let flash = use_flash();
    let edit = use_entry_editor(move |p: &Proposal<IntentionChange>| {
        let verb = match p.change {
            IntentionChange::Remove { .. } => "Deleted",
            IntentionChange::Save { .. } => "Saved",
        };
        flash.set(format!("{verb} {}.", p.change.rule_label()));
        navigate(&Route::Intentions.href(), Default::default());
    });
    // A review (also a reapplied one) works on the version it was built from from now on.
    Effect::new(move |_| {
        edit.stage.with(|s| {
            if let Stage::Reviewing(p) = s {
                if base.with_untracked(|b| *b != p.base) {
                    base.set(p.base.clone());
                }
            }
        })
    });
    let review = Action::new_local(move |_: &()| {
        let draft = form.draft();
        async move {
            edit.failure.set(None);
            let found = check_draft(&draft);
            if !found.is_empty() {
                edit.problems.set(found);
                return;
            }
            // A new rule joins whatever entry the destination has right now.
            let on = if editing {
                Ok(base.get_untracked())
            } else {
                find_entry(KIND, draft.destination.trim(), None).await
            };
            if edit.stage.try_get_untracked().is_none() {
                return; // the operator left the editor meanwhile
            }
            match on {
                Ok(on) => propose(edit, original.get_value(), initial.get_value(), draft, on),
                Err(e) => edit.failure.set(Some(e)),
            }
        }
    });
    let (write_denied, write_title) = intention_write_guard(form.destination);
    let editor = RuleEditor {
        form,
        edit,
        original,
        base,
        confirm_delete: RwSignal::new(false),
        write_denied,
        write_title,
        review,
    };
    let body = move || match edit.stage.get() {
        Stage::Editing => view! { <RuleFormView editor /> }.into_any(),
        Stage::Reviewing(_) => view! {
            <ReviewPanel editor=edit title="Review before saving" subject="these intentions"
                back_label="Back to the form" denied=write_denied denied_title=write_title />
        }
        .into_any(),
        Stage::Conflict { proposal, latest } => {
            view! { <RuleConflict editor proposal latest /> }.into_any()
        }
    };
    view! {
        <div class="editor">
            {body}
            <DeleteConfirm editor />
            {move || edit.failure.get().map(|error| view! { <ErrorView error /> })}
        </div>
    }
}

/// Shows the draft applied onto `on`, unless it would duplicate another rule.
fn propose(
    edit: EntryEditor<IntentionChange>,
    original: Option<SourceKey>,
    initial: SourceDraft,
    draft: SourceDraft,
    on: Option<Value>,
) {
    if duplicates_other_rule(on.as_ref(), original.as_ref(), &draft) {
        edit.problems.set(vec![DraftProblem {
            field: Field::Source,
            message: format!(
                "{} already has a rule for {}: edit that rule instead",
                draft.destination.trim(),
                draft.key_within(original.as_ref()).label()
            ),
        }]);
        return;
    }
    let change = IntentionChange::Save {
        original,
        initial,
        draft,
    };
    edit.review(change, on);
}

/// A lost race. A delete is confirmed again on the latest version instead of reapplied.
#[component]
fn RuleConflict(
    editor: RuleEditor,
    proposal: Proposal<IntentionChange>,
    latest: Option<Value>,
) -> impl IntoView {
    let destination = proposal.change.entry_name();
    let entry_label = format!("the intentions for {destination}");
    let IntentionChange::Remove { key, .. } = proposal.change else {
        return view! {
            <ConflictPanel editor=editor.edit subject="these intentions" entry_label back_label="Back to the form" />
        }
        .into_any();
    };
    let still_there = latest
        .as_ref()
        .is_some_and(|l| find_source(l, &key).is_some());
    let again = Callback::new(move |_| {
        editor.base.set(latest.clone());
        editor.edit.back();
        editor.confirm_delete.set(true);
    });
    let what = "Nothing was deleted, because these intentions changed after you opened them.";
    if still_there {
        view! {
            <ConflictPanel editor=editor.edit subject="these intentions" entry_label what back_label="Back to the form"
                reapply=("Delete from the latest version".to_string(), again) />
        }
        .into_any()
    } else {
        view! {
            <ConflictPanel editor=editor.edit subject="these intentions" entry_label what back_label="Back to the form"
                nothing_to_reapply="The rule is gone already." />
            <AppLink href=Route::Intentions>"Back to intentions"</AppLink>
        }
        .into_any()
    }
}

/// Asks Consul whether the token may write intentions for the destination typed.
fn intention_write_guard(destination: RwSignal<String>) -> (Signal<bool>, Signal<Option<String>>) {
    let name = Memo::new(move |_| destination.get().trim().to_string());
    let session = use_session();
    let may_write = use_loaded(move || {
        let dest = name.get();
        // No question to ask (and no 401 to log) when ACLs are off or not known yet.
        let ask = session.acl.get() == AclState::On;
        async move {
            Ok::<_, ApiError>(if ask {
                may_write_intentions(&dest).await
            } else {
                None
            })
        }
    });
    let denied = Signal::derive(move || may_write.get() == Some(Some(false)));
    let title = Signal::derive(move || {
        denied
            .get()
            .then(|| needs(&format!("intention:write on \"{}\"", name.get())))
    });
    (denied, title)
}
