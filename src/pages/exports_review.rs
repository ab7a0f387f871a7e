//! What the exports views show around the list: the last save, problems not about one service,
//! the service picker, the preview before a save and the conflict view after a lost race.
use crate::api::catalog::local_services;
use crate::components::error_view::ErrorView;
use crate::components::loading::Loading;
use crate::model::access::MESH_WRITE;
use crate::model::config_entry::without_computed;
use crate::model::exports::ExportChange;
use crate::model::intention_render::{line_diff, to_json};
use crate::pages::exports_editor::{ExportsEditor, Loaded, Stage};
use crate::pages::intentions_parts::FocusHeading;
use crate::pages::intentions_preview::{DiffLines, EntryPreview};
use leptos::prelude::*;
use serde_json::Value;

const SUBJECT: &str = "the exported services";

/// The status line, entry-level problems, failures, and why the controls are disabled.
#[component]
pub fn ExportsStatus(editor: ExportsEditor) -> impl IntoView {
    let general = move || {
        editor
            .problems
            .get()
            .into_iter()
            .filter(|p| p.service.is_none())
            .map(|p| view! { <p class="field-error" role="alert">{p.message}</p> })
            .collect_view()
    };
    view! {
        {move || editor.denied.get().then(|| view! {
            <p class="notice" role="note">
                {format!("Your token cannot change exports: needs {MESH_WRITE}. Ask for a policy with ")}
                <code>"mesh = \"write\""</code>
                " (with no mesh rule, operator = \"write\" also grants it)."
            </p>
        })}
        {move || editor.saved.get().map(|text| view! { <p class="notice done" role="status">{text}</p> })}
        {general}
        {move || editor.failure.get().map(|error| view! { <ErrorView error /> })}
    }
}

/// The entry while it loads or when it cannot be read; `ready` renders it once read.
pub fn entry_view(
    editor: ExportsEditor,
    ready: impl Fn(Option<Value>) -> AnyView + 'static,
) -> impl Fn() -> AnyView {
    move || match editor.entry.get() {
        Loaded::Loading => view! { <Loading what="the exported services" /> }.into_any(),
        Loaded::Failed(error) => {
            view! { <ErrorView error on_retry=Callback::new(move |_| editor.reload()) /> }
                .into_any()
        }
        Loaded::Ready(entry) => ready(entry),
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

/// The picker's choices: this cluster's services. Consul's own service is left out (`*` skips
/// it too); any other name can still be typed.
#[component]
pub fn LocalServiceOptions(id: &'static str) -> impl IntoView {
    let services = LocalResource::new(local_services);
    view! {
        <datalist id=id>
            {move || services.get().and_then(Result::ok).unwrap_or_default().into_iter()
                .filter(|s| s != "consul")
                .map(|s| view! { <option value=s></option> }).collect_view()}
        </datalist>
    }
}

/// The preview before saving, or the conflict view after a lost race.
#[component]
pub fn ExportsStage(editor: ExportsEditor) -> impl IntoView {
    move || match editor.stage.get() {
        Stage::Browsing => ().into_any(),
        Stage::Reviewing { change, proposed } => {
            let before = editor.base();
            let cas = before
                .as_ref()
                .and_then(crate::model::config_entry::modify_index)
                .unwrap_or(0);
            let wildcard =
                matches!(&change, ExportChange::Add { service, .. } if service.is_wildcard())
                    .then(|| view! { <WildcardWarning peer=change.peer().to_string() /> });
            let title = format!("Review: {}", change.describe());
            let to_save = (change.clone(), proposed.clone());
            view! {
                <div class="review editor">
                    <FocusHeading text=title />
                    {wildcard}
                    <EntryPreview before after=proposed cas subject=SUBJECT />
                    <div class="buttons">
                        <button type="button" disabled=move || editor.saving()
                            on:click=move |_| editor.save(to_save.0.clone(), to_save.1.clone())>
                            {move || if editor.saving() { "Saving…" } else { "Save" }}
                        </button>
                        <button type="button" class="secondary" disabled=move || editor.saving()
                            on:click=move |_| editor.back()>"Back to the list"</button>
                    </div>
                </div>
            }
            .into_any()
        }
        Stage::Conflict { change, latest } => {
            let before = editor
                .base()
                .map(|b| to_json(&without_computed(&b)))
                .unwrap_or_default();
            let after = latest
                .as_ref()
                .map(|l| to_json(&without_computed(l)))
                .unwrap_or_default();
            let what = if latest.is_some() {
                "The exported services changed after you opened them, so nothing was saved: saving would have overwritten that change."
            } else {
                "The exported-services entry was deleted after you opened it, so nothing was saved."
            };
            let describe = change.describe();
            view! {
                <div class="conflict editor" role="alert">
                    <FocusHeading text="Someone else changed the exported services" />
                    <p>{what} {format!(" Your change ({describe}) is kept. Here is what changed meanwhile:")}</p>
                    <DiffLines lines=line_diff(&before, &after) label="What changed since you opened the exports" />
                    <div class="buttons">
                        <button type="button" on:click=move |_| editor.reapply(change.clone(), latest.clone())>
                            "Reapply my change on the latest version"
                        </button>
                        <button type="button" class="secondary" on:click=move |_| { editor.reload(); editor.back(); }>
                            "Discard my change"
                        </button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}
