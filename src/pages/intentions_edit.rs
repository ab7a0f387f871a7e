//! Create and edit one source rule. Every save is a read-modify-write of the whole entry with
//! `?cas=<ModifyIndex>`: a lost race shows what changed and keeps the operator's edit.
use crate::api::acl::may_write_intentions;
use crate::api::catalog::{imported_services, local_services};
use crate::api::client::encode;
use crate::api::config_entries::{delete_entry, find_entry, read_entry, write_entry};
use crate::api::peering::list_peerings;
use crate::api::{ApiError, Problem};
use crate::components::app_link::AppLink;
use crate::components::error_view::ErrorView;
use crate::components::loading::Loading;
use crate::components::session::{track_session, use_session, AclState};
use crate::model::access::{needs, rule_for};
use crate::model::intention_edit::{
    apply_draft, check_draft, duplicates_other_rule, find_source, modify_index, remove_source,
    sources, strip_read_only, DraftProblem, Field, SourceDraft, SourceKey, Verdict, KIND,
};
use crate::model::intention_errors::locate;
use crate::model::intention_render::{line_diff, to_json};
use crate::pages::intentions_parts::{or_none, FieldErrors, FocusHeading, Permissions};
use crate::pages::intentions_preview::{DiffLines, EntryPreview};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use serde_json::Value;

/// `/intentions/new[?peer=&destination=]`
#[component]
pub fn IntentionNewPage() -> impl IntoView {
    let query = use_query_map();
    let draft = query.with_untracked(|q| SourceDraft {
        destination: q.get("destination").unwrap_or_default(),
        peer: q.get("peer").unwrap_or_default(),
        name: String::new(),
        action: Verdict::Allow,
        description: String::new(),
    });
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"New intention"</h1>
                <AppLink href="/intentions">"Back to intentions"</AppLink>
            </div>
            <Editor draft original=None base=None />
        </section>
    }
}

/// `/intentions/:destination/edit?peer=&source=`
#[component]
pub fn IntentionEditPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let destination = params.with_untracked(|p| p.get("destination").unwrap_or_default());
    let key = query.with_untracked(|q| SourceKey {
        name: q.get("source").unwrap_or_default(),
        peer: q.get("peer").unwrap_or_default(),
        namespace: q.get("ns").unwrap_or_default(),
        partition: q.get("partition").unwrap_or_default(),
        sameness_group: q.get("sg").unwrap_or_default(),
    });
    let dest = destination.clone();
    let entry = LocalResource::new(move || {
        let dest = dest.clone();
        async move { read_entry(KIND, &dest).await }
    });
    let retry = Callback::new(move |_| entry.refetch());
    let title = format!("Edit rule {} → {destination}", key.label());
    let key = StoredValue::new(key);
    let destination = StoredValue::new(destination);
    view! {
        <section class="page">
            <div class="page-header">
                <h1>{title}</h1>
                <AppLink href="/intentions">"Back to intentions"</AppLink>
            </div>
            <Transition fallback=|| view! { <Loading what="the intention" /> }>
                {move || Suspend::new(async move {
                    let key = key.get_value();
                    match entry.await {
                        Ok(Some(value)) => match find_source(&value, &key).cloned() {
                            Some(source) => {
                                let draft = SourceDraft {
                                    destination: destination.get_value(),
                                    peer: key.peer.clone(),
                                    name: key.name.clone(),
                                    action: Verdict::parse(source.get("Action").and_then(Value::as_str).unwrap_or_default()).unwrap_or(Verdict::Allow),
                                    description: source.get("Description").and_then(Value::as_str).unwrap_or_default().to_string(),
                                };
                                view! { <Editor draft original=Some(key) base=Some(value) /> }.into_any()
                            }
                            None => view! { <Gone what=format!("The rule {} is not in the intentions of {} (any more).", key.label(), destination.get_value()) /> }.into_any(),
                        },
                        Ok(None) => view! { <Gone what=format!("{} has no intentions (any more).", destination.get_value()) /> }.into_any(),
                        Err(error) => view! { <ErrorView error on_retry=retry /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Gone(what: String) -> impl IntoView {
    view! {
        <div class="empty-state" role="status">
            <h2>"Rule not found"</h2>
            <p>{what} " Someone may have deleted or renamed it."</p>
            <AppLink href="/intentions">"Back to intentions"</AppLink>
        </div>
    }
}

/// Where the editor is.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Editing,
    /// The whole entry to send, shown before saving.
    Reviewing(Value),
    /// A save lost the race: the entry as it is now (`None`: deleted meanwhile).
    Conflict(Option<Value>),
    /// A delete lost the race; `base` now holds the latest version.
    DeleteConflict(Option<Value>),
}

/// Validation texts from Consul come back as 500 (or 400 from proxies): place them by field.
fn place(error: &ApiError, sent: &Value, editing: &SourceKey) -> Option<DraftProblem> {
    if !matches!(error.problem(), Problem::Server | Problem::BadRequest) {
        return None;
    }
    let message = error.consul_message();
    let known = ["Sources[", "Name", "At least one source", "Meta", "JWT"];
    if !known.iter().any(|k| message.starts_with(k)) {
        return None;
    }
    let located = locate(&message, sent, editing);
    Some(DraftProblem {
        field: located.field,
        message: located.message,
    })
}

fn rule_label(draft: &SourceDraft, original: Option<&SourceKey>) -> String {
    format!(
        "{} → {}",
        draft.key_within(original).label(),
        draft.destination.trim()
    )
}

/// The form, the preview, the conflict view and delete.
#[component]
fn Editor(draft: SourceDraft, original: Option<SourceKey>, base: Option<Value>) -> impl IntoView {
    let editing = original.is_some();
    let original = StoredValue::new(original);
    let fixed_destination = editing;
    let l7 = base
        .as_ref()
        .zip(original.try_get_value().flatten())
        .and_then(|(b, k)| find_source(b, &k).cloned())
        .and_then(|s| s.get("Permissions").and_then(Value::as_array).cloned())
        .filter(|p| !p.is_empty());
    let is_l7 = l7.is_some();
    let destination = RwSignal::new(draft.destination);
    let peer = RwSignal::new(draft.peer);
    let name = RwSignal::new(draft.name);
    let action = RwSignal::new(draft.action);
    let description = RwSignal::new(draft.description);
    let base = RwSignal::new(base);
    let stage = RwSignal::new(Stage::Editing);
    let problems = RwSignal::new(Vec::<DraftProblem>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let confirm_delete = RwSignal::new(false);
    let current_draft = move || SourceDraft {
        destination: destination.get_untracked(),
        peer: peer.get_untracked(),
        name: name.get_untracked(),
        action: action.get_untracked(),
        description: description.get_untracked(),
    };

    let peerings = LocalResource::new(list_peerings);
    let services = LocalResource::new(local_services);
    // Names of existing peerings; `None` until known.
    let peer_names = move || {
        peerings
            .get()
            .and_then(Result::ok)
            .map(|l| l.peerings.into_iter().map(|p| p.name).collect::<Vec<_>>())
    };
    // Only asked for peerings that exist, so typing a name does not fire a request per letter.
    let imported = LocalResource::new(move || {
        let p = peer.get().trim().to_string();
        let known = peer_names().is_some_and(|names| names.contains(&p));
        async move {
            if known {
                imported_services(&p).await
            } else {
                Ok(Vec::new())
            }
        }
    });

    // Shows the preview of the draft applied to `on` (the version the save will CAS against).
    let propose = move |on: Option<Value>, d: &SourceDraft| {
        let orig = original.try_get_value().flatten();
        if duplicates_other_rule(on.as_ref(), orig.as_ref(), d) {
            problems.set(vec![DraftProblem {
                field: Field::Source,
                message: format!(
                    "{} already has a rule for {}: edit that rule instead",
                    d.destination.trim(),
                    d.key_within(orig.as_ref()).label()
                ),
            }]);
            stage.set(Stage::Editing);
            return;
        }
        let proposed = apply_draft(on.as_ref(), orig.as_ref(), d);
        base.set(on);
        stage.set(Stage::Reviewing(proposed));
    };

    let review = Action::new_local(move |d: &SourceDraft| {
        let d = d.clone();
        async move {
            failure.set(None);
            let found = check_draft(&d);
            if !found.is_empty() {
                problems.set(found);
                return;
            }
            problems.set(Vec::new());
            // A new rule joins whatever entry the destination has right now.
            let on = if editing {
                Ok(base.get_untracked())
            } else {
                find_entry(KIND, d.destination.trim()).await
            };
            // The operator may have left the editor while Consul answered.
            if stage.try_get_untracked().is_none() {
                return;
            }
            match on {
                Ok(on) => propose(on, &d),
                Err(e) => failure.set(Some(e)),
            }
        }
    });

    let navigate = use_navigate();
    let nav = navigate.clone();
    let save = Action::new_local(move |proposed: &Value| {
        let proposed = proposed.clone();
        let navigate = nav.clone();
        async move {
            failure.set(None);
            let d = current_draft();
            let cas = base
                .with_untracked(|b| b.as_ref().and_then(modify_index))
                .unwrap_or(0);
            let written = write_entry(&proposed, Some(cas)).await;
            if stage.try_get_untracked().is_none() {
                return; // left the editor meanwhile: do not drag the operator back
            }
            match written {
                Ok(true) => navigate(
                    &format!(
                        "/intentions?saved={}",
                        encode(&rule_label(&d, original.try_get_value().flatten().as_ref()))
                    ),
                    Default::default(),
                ),
                Ok(false) => match read_entry(KIND, d.destination.trim()).await {
                    Ok(latest) => stage.set(Stage::Conflict(latest)),
                    Err(e) => failure.set(Some(e)),
                },
                Err(e) => {
                    match place(
                        &e,
                        &proposed,
                        &d.key_within(original.try_get_value().flatten().as_ref()),
                    ) {
                        Some(problem) => {
                            problems.set(vec![problem]);
                            stage.set(Stage::Editing);
                        }
                        None => failure.set(Some(e)),
                    }
                }
            }
        }
    });

    let delete = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            failure.set(None);
            let (Some(current), Some(key)) = (
                base.try_get_untracked().flatten(),
                original.try_get_value().flatten(),
            ) else {
                return;
            };
            let dest = destination.get_untracked();
            let cas = modify_index(&current);
            let result = match remove_source(&current, &key) {
                Some(rest) => write_entry(&rest, cas).await,
                // The last rule: Consul refuses an entry without sources, so the entry goes.
                None => delete_entry(KIND, &dest, cas).await,
            };
            if stage.try_get_untracked().is_none() {
                return;
            }
            match result {
                Ok(true) => navigate(
                    &format!(
                        "/intentions?deleted={}",
                        encode(&format!("{} → {dest}", key.label()))
                    ),
                    Default::default(),
                ),
                Ok(false) => match read_entry(KIND, &dest).await {
                    Ok(latest) => {
                        let previous = base.try_get_untracked().flatten();
                        base.set(latest);
                        confirm_delete.set(false);
                        stage.set(Stage::DeleteConflict(previous));
                    }
                    Err(e) => failure.set(Some(e)),
                },
                Err(e) => failure.set(Some(e)),
            }
        }
    });

    let problem_for = move |field: Field| {
        move || {
            problems
                .get()
                .into_iter()
                .filter(|p| p.field == field)
                .map(|p| p.message)
                .collect::<Vec<_>>()
        }
    };
    let invalid = move |field: Field| {
        move || {
            problems
                .with(|ps| ps.iter().any(|p| p.field == field))
                .to_string()
        }
    };

    let busy = move || review.pending().get() || save.pending().get() || delete.pending().get();
    // Ask Consul whether the token may write intentions for this destination.
    let destination_name = Memo::new(move |_| destination.get().trim().to_string());
    let session = use_session();
    let may_write = LocalResource::new(move || {
        track_session();
        let dest = destination_name.get();
        // No question to ask (and no 401 to log) when ACLs are off or not known yet.
        let ask = session.is_some_and(|s| s.acl.get() == AclState::On);
        async move {
            if ask {
                may_write_intentions(&dest).await
            } else {
                None
            }
        }
    });
    let write_denied = move || may_write.get() == Some(Some(false));
    let write_title = move || {
        write_denied().then(|| {
            needs(&format!(
                "intention:write on \"{}\"",
                destination_name.get()
            ))
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !busy() {
            review.dispatch(current_draft());
        }
    };

    let import_note = move || {
        let p = peer.get().trim().to_string();
        let n = name.get().trim().to_string();
        if p.is_empty() || n.is_empty() || n == "*" || p.contains('*') {
            return None;
        }
        if peer_names().is_some_and(|names| !names.contains(&p)) {
            return Some(format!(
                "This cluster has no peering named {p} (yet): the rule is saved, and takes effect once that peering exists and exports {n}."
            ));
        }
        match imported.get() {
            Some(Ok(list)) if !list.contains(&n) => Some(format!(
                "{n} is not (yet) imported from {p}: the rule is saved, and takes effect once {p} exports {n} to this cluster."
            )),
            _ => None,
        }
    };
    let local_note = move || {
        let p = peer.get();
        let n = name.get().trim().to_string();
        if !p.trim().is_empty() || n.is_empty() || n == "*" {
            return None;
        }
        match services.get() {
            Some(Ok(list)) if !list.contains(&n) => Some(format!(
                "No service named {n} is registered in this cluster (yet)."
            )),
            _ => None,
        }
    };

    let general = move || {
        problems
            .get()
            .into_iter()
            .filter(|p| p.field == Field::General)
            .map(|p| view! { <p class="field-error" role="alert">{p.message}</p> })
            .collect_view()
    };

    let form = move || {
        view! {
            <form on:submit=on_submit novalidate=true aria-label="Intention">
                {general}
                <div class="field">
                    <label for="ix-destination">"Destination service"</label>
                    <input id="ix-destination" list="ix-local-services" required=true
                        readonly=fixed_destination aria-invalid=invalid(Field::Destination)
                        aria-describedby="ix-destination-help ix-destination-error"
                        prop:value=destination on:input=move |ev| destination.set(event_target_value(&ev)) />
                    <small id="ix-destination-help">
                        {if fixed_destination { "A rule belongs to its destination's entry: to move it, create it on the other destination and delete this one." } else { "A service of this cluster; * applies to every destination." }}
                    </small>
                    <FieldErrors id="ix-destination-error" messages=Signal::derive(problem_for(Field::Destination)) />
                </div>
                <datalist id="ix-local-services">
                    {move || services.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .map(|s| view! { <option value=s></option> }).collect_view()}
                </datalist>
                <div class="field">
                    <label for="ix-peer">"Source peer"</label>
                    <input id="ix-peer" list="ix-peerings" placeholder="empty: a service of this cluster"
                        aria-invalid=invalid(Field::Peer) aria-describedby="ix-peer-help ix-peer-error"
                        prop:value=peer on:input=move |ev| peer.set(event_target_value(&ev)) />
                    <small id="ix-peer-help">"The peered cluster the calling service runs in. Leave empty for a service of this cluster."</small>
                    <FieldErrors id="ix-peer-error" messages=Signal::derive(problem_for(Field::Peer)) />
                </div>
                <datalist id="ix-peerings">
                    {move || peerings.get().and_then(Result::ok).map(|l| l.peerings).unwrap_or_default().into_iter()
                        .map(|p| view! { <option value=p.name.clone()>{p.state.label()}</option> }).collect_view()}
                </datalist>
                <div class="field">
                    <label for="ix-source">"Source service"</label>
                    <input id="ix-source" list="ix-imported" required=true
                        aria-invalid=invalid(Field::Source) aria-describedby="ix-source-help ix-source-note ix-source-error"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                    <small id="ix-source-help">"The calling service; * means every service (of that peer, when a peer is set)."</small>
                    <p id="ix-source-note" class="note" aria-live="polite">{import_note} {local_note}</p>
                    <FieldErrors id="ix-source-error" messages=Signal::derive(problem_for(Field::Source)) />
                </div>
                {original.try_get_value().flatten().filter(|k| !k.namespace.is_empty() || !k.partition.is_empty() || !k.sameness_group.is_empty()).map(|k| view! {
                    <p class="hint">{format!("Scope kept as it is: namespace {}, partition {}, sameness group {}.",
                        or_none(&k.namespace), or_none(&k.partition), or_none(&k.sameness_group))}</p>
                })}
                <datalist id="ix-imported">
                    {move || imported.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .map(|s| view! { <option value=s></option> }).collect_view()}
                </datalist>
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
                    <FieldErrors id="ix-action-error" messages=Signal::derive(problem_for(Field::Action)) />
                </fieldset>
                <div class="field">
                    <label for="ix-description">"Description"</label>
                    <textarea id="ix-description" rows="2" maxlength="600"
                        aria-invalid=invalid(Field::Description) aria-describedby="ix-description-help ix-description-error"
                        prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                    <small id="ix-description-help">{move || format!("{} of 512 bytes (Consul's limit)", description.with(String::len))}</small>
                    <FieldErrors id="ix-description-error" messages=Signal::derive(problem_for(Field::Description)) />
                </div>
                {l7.clone().map(|perms| view! { <Permissions perms /> })}
                <FieldErrors id="ix-permissions-error" messages=Signal::derive(problem_for(Field::Permissions)) />
                {move || write_denied().then(|| view! {
                    <p class="notice" role="status">
                        {format!("Your token cannot change intentions for {}: it needs intention:write on \"{}\". Ask for a policy with ", destination_name.get(), destination_name.get())}
                        <code>{rule_for("intention:write", Some(&destination_name.get())).unwrap_or_default()}</code>
                        "."
                    </p>
                })}
                <div class="buttons">
                    <button type="submit" disabled=move || busy() || write_denied() title=write_title>
                        {move || if review.pending().get() { "Preparing the preview…" } else { "Review changes" }}
                    </button>
                    {editing.then(|| view! {
                        <button type="button" class="danger" disabled=move || busy() || write_denied() title=write_title on:click=move |_| confirm_delete.set(true)>"Delete rule"</button>
                    })}
                </div>
            </form>
        }
    };

    // The safe choice takes the focus when the confirmation opens.
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move || {
        if let Some(button) = cancel_ref.get() {
            let _ = button.focus();
        }
    });
    let delete_confirmation = move || {
        confirm_delete.get().then(|| {
            let key = original.try_get_value().flatten().unwrap_or_default();
            let dest = destination.get_untracked();
            let last = base.with(|b| b.as_ref().map(|b| sources(b).len() <= 1).unwrap_or(true));
            view! {
                <div class="confirm" role="alertdialog" aria-labelledby="ix-delete-title" aria-describedby="ix-delete-text">
                    <h2 id="ix-delete-title">{format!("Delete the rule {} → {dest}?", key.label())}</h2>
                    <p id="ix-delete-text">
                        {if last {
                            format!("It is the only rule for {dest}, so the whole service-intentions entry for {dest} is deleted. Its connections then get the cluster's default.")
                        } else {
                            format!("The other rules for {dest} stay as they are.")
                        }}
                    </p>
                    <div class="buttons">
                        <button type="button" class="danger" disabled=busy on:click=move |_| { if !busy() { delete.dispatch(()); } }>
                            {move || if delete.pending().get() { "Deleting…" } else { "Delete" }}
                        </button>
                        <button type="button" class="secondary" disabled=busy node_ref=cancel_ref on:click=move |_| confirm_delete.set(false)>"Cancel"</button>
                    </div>
                </div>
            }
        })
    };

    let body = move || match stage.get() {
        Stage::Editing => form().into_any(),
        Stage::Reviewing(proposed) => {
            let before = base.get();
            let cas = before.as_ref().and_then(modify_index).unwrap_or(0);
            let to_save = proposed.clone();
            view! {
                <div class="review">
                    <FocusHeading text="Review before saving" />
                    <EntryPreview before after=proposed cas subject="these intentions" />
                    <div class="buttons">
                        <button type="button" disabled=move || busy() || write_denied() title=write_title on:click=move |_| { if !busy() { save.dispatch(to_save.clone()); } }>
                            {move || if save.pending().get() { "Saving…" } else { "Save" }}
                        </button>
                        <button type="button" class="secondary" disabled=busy on:click=move |_| stage.set(Stage::Editing)>"Back to the form"</button>
                    </div>
                </div>
            }
            .into_any()
        }
        Stage::Conflict(latest) => {
            let before = base
                .get()
                .map(|b| to_json(&strip_read_only(&b)))
                .unwrap_or_default();
            let after = latest
                .as_ref()
                .map(|l| to_json(&strip_read_only(l)))
                .unwrap_or_default();
            let diff = line_diff(&before, &after);
            let dest = destination.get_untracked();
            let reapply_on = latest.clone();
            view! {
                <div class="conflict" role="alert">
                    <FocusHeading text="Someone else changed these intentions" />
                    <p>
                        {if latest.is_some() {
                            format!("The intentions for {dest} changed after you opened them, so nothing was saved: saving would have overwritten that change.")
                        } else {
                            format!("The intentions for {dest} were deleted after you opened them, so nothing was saved.")
                        }}
                        " Your edit is kept. Here is what changed meanwhile:"
                    </p>
                    <DiffLines lines=diff label="What changed since you opened the editor" />
                    <div class="buttons">
                        <button type="button" disabled=busy on:click=move |_| propose(reapply_on.clone(), &current_draft())>
                            "Reapply my change on the latest version"
                        </button>
                        <button type="button" class="secondary" on:click=move |_| stage.set(Stage::Editing)>"Back to the form"</button>
                    </div>
                </div>
            }
            .into_any()
        }
        Stage::DeleteConflict(previous) => {
            let before = previous
                .map(|b| to_json(&strip_read_only(&b)))
                .unwrap_or_default();
            let latest = base.get();
            let after = latest
                .as_ref()
                .map(|l| to_json(&strip_read_only(l)))
                .unwrap_or_default();
            let still_there = latest
                .as_ref()
                .zip(original.try_get_value().flatten())
                .is_some_and(|(l, k)| find_source(l, &k).is_some());
            view! {
                <div class="conflict" role="alert">
                    <FocusHeading text="Someone else changed these intentions" />
                    <p>"Nothing was deleted, because the intentions changed after you opened them. Here is what changed:"</p>
                    <DiffLines lines=line_diff(&before, &after) label="What changed since you opened the editor" />
                    {if still_there {
                        view! { <p>"The rule is still there. Delete it from the latest version if you still want to."</p>
                            <div class="buttons">
                                <button type="button" class="danger" on:click=move |_| { stage.set(Stage::Editing); confirm_delete.set(true); }>"Delete from the latest version"</button>
                                <button type="button" class="secondary" on:click=move |_| stage.set(Stage::Editing)>"Back to the form"</button>
                            </div>
                        }.into_any()
                    } else {
                        view! { <p>"The rule is gone already."</p> <AppLink href="/intentions">"Back to intentions"</AppLink> }.into_any()
                    }}
                </div>
            }
            .into_any()
        }
    };

    view! {
        <div class="editor">
            {body}
            {delete_confirmation}
            {move || failure.get().map(|error| view! { <ErrorView error /> })}
        </div>
    }
}
