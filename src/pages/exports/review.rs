//! What the exports views show around the list: the check-and-set editor's flow with what is
//! particular to exports (the denied note, problems not about one service, the warning for `*`),
//! and the service picker.
use crate::components::entry_editor::EntryEditorFlow;
use crate::components::loaded::LoadedView;
use crate::model::consul::access::MESH_WRITE;
use crate::model::exports::entry::ExportChange;
use crate::pages::exports::editor::ExportsEditor;
use leptos::prelude::*;
use serde_json::Value;

/// The exports editor around a list of exports (`children`): why the controls are disabled,
/// the status line and failures, problems not about one service, then the list (kept mounted
/// during a review), the review with its warning for `*`, or the conflict.
#[component]
pub fn ExportsFlow(editor: ExportsEditor, children: ChildrenFn) -> impl IntoView {
    let general = move || {
        editor
            .edit
            .problems
            .get()
            .into_iter()
            .filter(|p| p.service.is_none())
            .map(|p| view! { <p class="field-error" role="alert">{p.message}</p> })
            .collect_view()
    };
    let wildcard = move || {
        let change = editor.edit.reviewing()?.change;
        matches!(&change, ExportChange::Add { service, .. } if service.is_wildcard())
            .then(|| view! { <WildcardWarning peer=change.peer().to_string() /> })
    };
    view! {
        {move || editor.denied.get().then(|| view! {
            <p class="notice" role="note">
                {format!("Your token cannot change exports: needs {MESH_WRITE}. Ask for a policy with ")}
                <code>"mesh = \"write\""</code>
                " (with no mesh rule, operator = \"write\" also grants it)."
            </p>
        })}
        <EntryEditorFlow editor=editor.edit back_label="Back to the list" note=ViewFn::from(wildcard) keep_form=true>
            {general}
            {children()}
        </EntryEditorFlow>
    }
}

/// The entry while it loads or when it cannot be read; `ready` renders it once read.
pub fn entry_view(
    editor: ExportsEditor,
    ready: impl Fn(Option<Value>) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let ready = std::sync::Arc::new(ready);
    view! {
        <LoadedView loaded=editor.entry.status() what="the exported services">
            {let ready = ready.clone(); move || ready(editor.entry.data.get().flatten())}
        </LoadedView>
    }
}

/// The warning for `*`: it is every service, now and later.
#[component]
pub fn WildcardWarning(#[prop(into)] peer: String) -> impl IntoView {
    let to = if peer.is_empty() {
        "the peer".to_string()
    } else {
        peer
    };
    view! {
        <p class="note" role="note">
            {format!("* exports every service of this cluster to {to}, including services registered later. \
                      The peer can then import all of them; intentions still decide who may call what.")}
        </p>
    }
}

/// A text field of an export form, disabled with the permission named when the token may not
/// write exports. `list` names the datalist of choices; free text stays allowed.
#[component]
pub fn ExportField(
    editor: ExportsEditor,
    #[prop(into)] id: String,
    list: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
    /// The id of the messages below the field.
    #[prop(into)]
    errors: String,
    invalid: Signal<bool>,
    /// For a field without a visible label (a table row's).
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    view! {
        <input id=id list=list placeholder=placeholder aria-label=label
            aria-describedby=errors aria-invalid=move || invalid.get().to_string()
            disabled=move || editor.denied.get() title=move || editor.title()
            prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
    }
}
