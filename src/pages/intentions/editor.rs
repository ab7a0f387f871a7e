//! One rule's editor on the shared check-and-set editor: the form, the review, the conflict
//! view and delete. Only the fields the operator changed are written (`IntentionChange`).
use super::delete::DeleteConfirm;
use super::form::{RuleForm, RuleFormView};
use crate::api::acl::may_write_intentions;
use crate::api::ApiError;
use crate::components::app_link::AppLink;
use crate::components::entry_editor::conflict::ConflictPanel;
use crate::components::entry_editor::{
    use_entry_editor, Base, EntryEditor, EntryEditorFlow, EntrySource,
};
use crate::components::loaded::use_loaded;
use crate::components::session::{use_session, AclState};
use crate::model::consul::access::needs;
use crate::model::entry_edit::Proposal;
use crate::model::intentions::change::IntentionChange;
use crate::model::intentions::edit::{find_source, SourceDraft, SourceKey};
use crate::routes::Route;
use leptos::prelude::*;
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
    /// The form as it opened: only the fields changed since are written onto an existing rule.
    initial: StoredValue<SourceDraft>,
}

impl RuleEditor {
    pub fn busy(self) -> bool {
        self.edit.busy()
    }

    pub fn preparing(self) -> bool {
        self.edit.preparing()
    }

    /// Checks the form, then shows what saving it would write.
    pub fn review(self) {
        self.edit.propose(IntentionChange::Save {
            original: self.original.get_value(),
            initial: self.initial.get_value(),
            draft: self.form.draft(),
        });
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

/// An existing rule is edited on the version the operator opened (and, after a lost race, on
/// the latest); a new rule joins whatever entry its destination has when it is reviewed.
#[derive(Clone, Copy)]
struct RuleSource {
    base: RwSignal<Option<Value>>,
    editing: bool,
}

impl EntrySource for RuleSource {
    fn base(&self, _kind: &str, _name: &str) -> Base {
        if self.editing {
            Base::Read(self.base.get_untracked())
        } else {
            Base::Latest
        }
    }

    fn put(&self, _kind: &str, _name: &str, latest: Option<Value>) {
        self.base.set(latest);
    }

    /// Nothing to read again: the editor closes after a save.
    fn refetch(&self) {}
}

#[component]
pub fn Editor(
    draft: SourceDraft,
    original: Option<SourceKey>,
    base: Option<Value>,
) -> impl IntoView {
    let editing = original.is_some();
    let form = RuleForm::new(&draft);
    let base = RwSignal::new(base);
    let edit =
        use_entry_editor(RuleSource { base, editing }).leave_after_save(Route::Intentions.href());
    let (write_denied, write_title) = intention_write_guard(form.destination);
    let editor = RuleEditor {
        form,
        edit,
        original: StoredValue::new(original),
        base,
        confirm_delete: RwSignal::new(false),
        write_denied,
        write_title,
        initial: StoredValue::new(draft),
    };
    view! {
        <div class="editor">
            <EntryEditorFlow editor=edit review_title="Review before saving" back_label="Back to the form"
                discard_label="Back to the form" denied=write_denied denied_title=write_title
                conflict=ViewFn::from(move || view! { <RuleConflict editor /> })>
                <RuleFormView editor />
            </EntryEditorFlow>
            <DeleteConfirm editor />
        </div>
    }
}

/// A lost race. A delete is confirmed again on the latest version instead of reapplied.
#[component]
fn RuleConflict(editor: RuleEditor) -> impl IntoView {
    let Some((proposal, latest)) = editor
        .edit
        .stage
        .with_untracked(|s| s.conflict().map(|(p, l)| (p.clone(), l.cloned())))
    else {
        return ().into_any();
    };
    let IntentionChange::Remove { key, .. } = proposal.change else {
        return view! { <ConflictPanel editor=editor.edit back_label="Back to the form" /> }
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
            <ConflictPanel editor=editor.edit what back_label="Back to the form"
                reapply=("Delete from the latest version".to_string(), again) />
        }
        .into_any()
    } else {
        view! {
            <ConflictPanel editor=editor.edit what back_label="Back to the form"
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
