//! The rule's form: destination, source peer and service (with suggestions and notes about
//! what exists), action, description, read-only L7 permissions, and the buttons.
use super::editor::RuleEditor;
use super::parts::{or_none, Permissions};
use crate::api::catalog::{imported_services, local_services};
use crate::api::peering::{list_peerings, PeeringList};
use crate::components::field_errors::FieldErrors;
use crate::components::loaded::{use_loaded, Loaded};
use crate::model::consul::access::rule_for;
use crate::model::intentions::edit::{find_source, Field, SourceDraft, Verdict};
use crate::model::intentions::notes::{import_note, local_note};
use leptos::prelude::*;
use serde_json::Value;

/// The form's fields as signals.
#[derive(Clone, Copy)]
pub(super) struct RuleForm {
    pub destination: RwSignal<String>,
    pub peer: RwSignal<String>,
    pub name: RwSignal<String>,
    pub action: RwSignal<Verdict>,
    pub description: RwSignal<String>,
}

impl RuleForm {
    pub fn new(draft: &SourceDraft) -> Self {
        Self {
            destination: RwSignal::new(draft.destination.clone()),
            peer: RwSignal::new(draft.peer.clone()),
            name: RwSignal::new(draft.name.clone()),
            action: RwSignal::new(draft.action),
            description: RwSignal::new(draft.description.clone()),
        }
    }

    /// What is typed now, untracked.
    pub fn draft(self) -> SourceDraft {
        SourceDraft {
            destination: self.destination.get_untracked(),
            peer: self.peer.get_untracked(),
            name: self.name.get_untracked(),
            action: self.action.get_untracked(),
            description: self.description.get_untracked(),
        }
    }
}

/// The names the fields suggest, each refetched after sign-in or sign-out.
#[derive(Clone, Copy)]
struct Suggestions {
    peerings: Loaded<PeeringList>,
    local: Loaded<Vec<String>>,
    imported: Loaded<Vec<String>>,
}

impl Suggestions {
    fn new(peer: RwSignal<String>) -> Self {
        let peerings = use_loaded(list_peerings);
        let local = use_loaded(local_services);
        let names = move || peer_names(peerings);
        // Only asked for peerings that exist, so typing a name does not fire a request per letter.
        let imported = use_loaded(move || {
            let p = peer.get().trim().to_string();
            let known = names().is_some_and(|n| n.contains(&p));
            async move {
                if known {
                    imported_services(&p).await
                } else {
                    Ok(Vec::new())
                }
            }
        });
        Self {
            peerings,
            local,
            imported,
        }
    }
}

/// Names of existing peerings; `None` until known.
fn peer_names(peerings: Loaded<PeeringList>) -> Option<Vec<String>> {
    peerings
        .get()
        .map(|l| l.peerings.into_iter().map(|p| p.name).collect())
}

fn options(list: Vec<String>) -> impl IntoView {
    list.into_iter()
        .map(|s| view! { <option value=s></option> })
        .collect_view()
}

#[component]
pub(super) fn RuleFormView(editor: RuleEditor) -> impl IntoView {
    let RuleForm {
        destination,
        peer,
        name,
        action,
        description,
    } = editor.form;
    let fixed_destination = editor.original.with_value(Option::is_some);
    let hints = Suggestions::new(peer);
    let l7: Option<Vec<Value>> = editor
        .original
        .get_value()
        .and_then(|k| {
            editor
                .base
                .with_untracked(|b| b.as_ref().and_then(|b| find_source(b, &k).cloned()))
        })
        .and_then(|s| s.get("Permissions").and_then(Value::as_array).cloned())
        .filter(|p| !p.is_empty());
    let is_l7 = l7.is_some();
    let messages = move |field: Field| {
        Signal::derive(move || {
            editor.edit.problems.with(|ps| {
                ps.iter()
                    .filter(|p| p.field == field)
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    let invalid = move |field: Field| move || messages(field).with(|m| !m.is_empty()).to_string();
    let note = move || {
        let (p, n) = (peer.get(), name.get());
        let services = hints.local.get();
        let imported = hints.imported.get();
        [
            import_note(
                &p,
                &n,
                peer_names(hints.peerings).as_deref(),
                imported.as_deref(),
            ),
            local_note(&p, &n, services.as_deref()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.review();
    };
    let disabled = move || editor.busy() || editor.write_denied.get();
    let scope = editor.original.get_value().filter(|k| {
        !k.namespace.is_empty() || !k.partition.is_empty() || !k.sameness_group.is_empty()
    });
    view! {
        <form on:submit=on_submit novalidate=true aria-label="Intention">
            {move || messages(Field::General).get().into_iter()
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> }).collect_view()}
            <div class="field">
                <label for="ix-destination">"Destination service"</label>
                <input id="ix-destination" list="ix-local-services" required=true
                    readonly=fixed_destination aria-invalid=invalid(Field::Destination)
                    aria-describedby="ix-destination-help ix-destination-error"
                    prop:value=destination on:input=move |ev| destination.set(event_target_value(&ev)) />
                <small id="ix-destination-help">
                    {if fixed_destination { "A rule belongs to its destination's entry: to move it, create it on the other destination and delete this one." } else { "A service of this cluster; * applies to every destination." }}
                </small>
                <FieldErrors id="ix-destination-error" messages=messages(Field::Destination) />
            </div>
            <datalist id="ix-local-services">{move || options(hints.local.get().unwrap_or_default())}</datalist>
            <div class="field">
                <label for="ix-peer">"Source peer"</label>
                <input id="ix-peer" list="ix-peerings" placeholder="empty: a service of this cluster"
                    aria-invalid=invalid(Field::Peer) aria-describedby="ix-peer-help ix-peer-error"
                    prop:value=peer on:input=move |ev| peer.set(event_target_value(&ev)) />
                <small id="ix-peer-help">"The peered cluster the calling service runs in. Leave empty for a service of this cluster."</small>
                <FieldErrors id="ix-peer-error" messages=messages(Field::Peer) />
            </div>
            <datalist id="ix-peerings">
                {move || hints.peerings.get().map(|l| l.peerings).unwrap_or_default().into_iter()
                    .map(|p| view! { <option value=p.name.clone()>{p.state.label()}</option> }).collect_view()}
            </datalist>
            <div class="field">
                <label for="ix-source">"Source service"</label>
                <input id="ix-source" list="ix-imported" required=true
                    aria-invalid=invalid(Field::Source) aria-describedby="ix-source-help ix-source-note ix-source-error"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                <small id="ix-source-help">"The calling service; * means every service (of that peer, when a peer is set)."</small>
                <p id="ix-source-note" class="note" aria-live="polite">{note}</p>
                <FieldErrors id="ix-source-error" messages=messages(Field::Source) />
            </div>
            {scope.map(|k| view! {
                <p class="hint">{format!("Scope kept as it is: namespace {}, partition {}, sameness group {}.",
                    or_none(&k.namespace), or_none(&k.partition), or_none(&k.sameness_group))}</p>
            })}
            <datalist id="ix-imported">{move || options(hints.imported.get().unwrap_or_default())}</datalist>
            <fieldset class="field" aria-describedby="ix-action-error">
                <legend>"Action"</legend>
                {if is_l7 {
                    view! { <p>"Decided per request by the L7 permissions below (Consul allows no action next to them)."</p> }.into_any()
                } else {
                    view! {
                        <label><input type="radio" name="ix-action" value="allow"
                            prop:checked=move || action.get() == Verdict::Allow
                            on:change=move |_| action.set(Verdict::Allow) /> " allow"</label>
                        <label><input type="radio" name="ix-action" value="deny"
                            prop:checked=move || action.get() == Verdict::Deny
                            on:change=move |_| action.set(Verdict::Deny) /> " deny"</label>
                    }.into_any()
                }}
                <FieldErrors id="ix-action-error" messages=messages(Field::Action) />
            </fieldset>
            <div class="field">
                <label for="ix-description">"Description"</label>
                <textarea id="ix-description" rows="2" maxlength="600"
                    aria-invalid=invalid(Field::Description) aria-describedby="ix-description-help ix-description-error"
                    prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <small id="ix-description-help">{move || format!("{} of 512 bytes (Consul's limit)", description.with(String::len))}</small>
                <FieldErrors id="ix-description-error" messages=messages(Field::Description) />
            </div>
            {l7.map(|perms| view! { <Permissions perms /> })}
            <FieldErrors id="ix-permissions-error" messages=messages(Field::Permissions) />
            {move || editor.write_denied.get().then(|| {
                let dest = destination.get().trim().to_string();
                view! {
                    <p class="notice" role="status">
                        {format!("Your token cannot change intentions for {dest}: it needs intention:write on \"{dest}\". Ask for a policy with ")}
                        <code>{rule_for("intention:write", Some(&dest)).unwrap_or_default()}</code>
                        "."
                    </p>
                }
            })}
            <div class="buttons">
                <button type="submit" disabled=disabled title=move || editor.write_title.get()>
                    {move || if editor.preparing() { "Preparing the preview…" } else { "Review changes" }}
                </button>
                {fixed_destination.then(|| view! {
                    <button type="button" class="danger" disabled=disabled title=move || editor.write_title.get()
                        on:click=move |_| editor.confirm_delete.set(true)>"Delete rule"</button>
                })}
            </div>
        </form>
    }
}
