//! The failover views: resolvers that name peers, with their targets in order (move up, move
//! down, remove), redirects, and the forms to add a target or redirect, inside the check-and-set
//! editor's flow (review, conflict).
use super::resolvers::{use_failover_editor, FailoverEditor};
use crate::components::entry_editor::conflict::ConflictPanel;
use crate::components::entry_editor::EntryEditorFlow;
use crate::components::field_errors::FieldErrors;
use crate::components::loaded::LoadedView;
use crate::components::service_options::LocalServiceOptions;
use crate::model::failover::change::{ResolverChange, ResolverField, TargetRow};
use crate::model::failover::resolver::{naming_peers, view_of, ResolverView, ANY_SUBSET};
use leptos::prelude::*;

/// Everything about failover to peers: for one peer (a peer's tab, `peer` set) or every peer,
/// optionally narrowed to the services whose name contains `service`.
#[component]
pub fn FailoverSection(
    #[prop(optional, into)] peer: Option<String>,
    #[prop(optional, into)] service: Signal<String>,
) -> impl IntoView {
    let editor = use_failover_editor();
    let peer = StoredValue::new(peer);
    let warning = move || {
        let change = editor.edit.reviewing()?.change;
        let redirect = matches!(change, ResolverChange::Redirect { .. });
        if !redirect && !matches!(change, ResolverChange::AddTarget { .. }) {
            return None;
        }
        editor
            .import_warning(&target_of(&change), change.peer(), redirect)
            .map(|w| view! { <p class="notice warn" role="note">{w}</p> })
    };
    view! {
        <EntryEditorFlow editor=editor.edit back_label="Back to failover" note=ViewFn::from(warning)
            conflict=ViewFn::from(move || view! { <FailoverConflict editor /> })>
            <ResolverList editor peer=peer.get_value() service />
            <AddTargetForm editor peer=peer.get_value() />
            <RedirectForm editor peer=peer.get_value() />
        </EntryEditorFlow>
    }
}

/// A lost race. When the target (or redirect) the change acts on is gone from the latest version,
/// or not singled out there, nothing is reapplied: acting on another target would be worse.
#[component]
fn FailoverConflict(editor: FailoverEditor) -> impl IntoView {
    let stale = editor
        .edit
        .stage
        .with_untracked(|s| s.conflict().and_then(|(p, latest)| p.change.stale(latest)));
    match stale {
        Some(p) => view! {
            <ConflictPanel editor=editor.edit back_label="Discard my change" nothing_to_reapply=p.message />
        }
        .into_any(),
        None => view! { <ConflictPanel editor=editor.edit back_label="Discard my change" /> }.into_any(),
    }
}

/// The service the peer is asked for.
fn target_of(change: &ResolverChange) -> String {
    match change {
        ResolverChange::Redirect {
            service, target, ..
        } if target.trim().is_empty() => service.trim().to_string(),
        ResolverChange::Redirect { target, .. } => target.trim().to_string(),
        other => other.service().trim().to_string(),
    }
}

#[component]
fn ResolverList(
    editor: FailoverEditor,
    peer: Option<String>,
    service: Signal<String>,
) -> impl IntoView {
    let peer = StoredValue::new(peer);
    view! {
        <LoadedView loaded=editor.entries.status() what="the service-resolvers">
            {move || {
                let filter = service.get().trim().to_lowercase();
                let views: Vec<ResolverView> = editor.entries.data.with(|l| naming_peers(l.as_deref().unwrap_or_default()))
                    .into_iter()
                    .filter(|v| peer.with_value(|p| p.as_ref().is_none_or(|p| v.names_peer(p))))
                    .filter(|v| filter.is_empty() || v.service.to_lowercase().contains(&filter))
                    .collect();
                if views.is_empty() {
                    let text = peer.with_value(|p| match p {
                        Some(p) => format!("No service of this cluster fails over or redirects to {p}."),
                        None => "No service of this cluster fails over or redirects to a peer.".to_string(),
                    });
                    return view! { <p class="empty-filter">{text}</p> }.into_any();
                }
                views.into_iter().map(|v| view! { <ResolverCard editor view=v /> }).collect_view().into_any()
            }}
        </LoadedView>
    }
}

#[component]
fn ResolverCard(editor: FailoverEditor, view: ResolverView) -> impl IntoView {
    let service = view.service.clone();
    let any = view
        .failover
        .iter()
        .find(|f| f.subset == ANY_SUBSET)
        .cloned();
    let others: Vec<_> = view
        .failover
        .iter()
        .filter(|f| f.subset != ANY_SUBSET)
        .cloned()
        .collect();
    let count = any.as_ref().map_or(0, |f| f.targets.len());
    let svc = StoredValue::new(service.clone());
    let errors = move |field: ResolverField| {
        Signal::derive(move || svc.with_value(|s| editor.problems(s, &field)))
    };
    let targets = any.clone().map(|f| {
        let old = f.other.clone().map(|o| view! { <p class="hint">{format!("Also in this failover (the older form, kept as it is): {o}.")}</p> });
        let items = f.targets.into_iter().enumerate().map(|(i, t)| {
            let is_peer = !t.peer.is_empty();
            let peer = t.peer.clone();
            let warning = is_peer.then(|| {
                let (s, p) = (svc.get_value(), peer.clone());
                move || editor.import_warning(&s, &p, false).map(|w| view! { <p class="note warn" role="note">{w}</p> })
            });
            // Each button names its row by the target's whole value and position, not its peer.
            let row = TargetRow::of(&t, i);
            let name = t.name.clone();
            let buttons = is_peer.then(|| {
                let change = |make: fn(String, TargetRow) -> ResolverChange| {
                    let (s, r) = (svc.get_value(), row.clone());
                    move |_| editor.propose(make(s.clone(), r.clone()))
                };
                view! {
                    <span class="row-actions">
                        <button type="button" class="secondary" aria-label=format!("Move {name} up") disabled={i == 0}
                            on:click=change(|service, row| ResolverChange::MoveTarget { service, row, up: true })>"Move up"</button>
                        <button type="button" class="secondary" aria-label=format!("Move {name} down") disabled={i + 1 == count}
                            on:click=change(|service, row| ResolverChange::MoveTarget { service, row, up: false })>"Move down"</button>
                        <button type="button" class="secondary" aria-label=format!("Remove {name}")
                            on:click=change(|service, row| ResolverChange::RemoveTarget { service, row })>"Remove"</button>
                    </span>
                }
            });
            let target_errors = is_peer.then(|| view! {
                <FieldErrors id=format!("target-{}-{i}-error", svc.get_value()) messages=errors(ResolverField::Target(t.value.clone())) />
            });
            view! {
                <li data-target=t.peer.clone()>
                    <span class="target-label">{t.label}</span>
                    {buttons}
                    {warning}
                    {target_errors}
                </li>
            }
        }).collect_view();
        view! {
            <h4>"Failover targets, tried in this order"</h4>
            <ol class="failover-targets" aria-label=format!("Failover targets of {}", svc.get_value())>{items}</ol>
            {old}
        }
    });
    let others = (!others.is_empty()).then(|| {
        view! {
            <p class="hint">"Failover for named subsets (shown, not edited here):"</p>
            <ul>{others.into_iter().map(|f| {
                let mut parts: Vec<String> = f.targets.into_iter().map(|t| t.label).collect();
                parts.extend(f.other);
                view! { <li>{format!("Subset {}: {}", f.subset, parts.join("; "))}</li> }
            }).collect_view()}</ul>
        }
    });
    let seen = view.redirect_value.clone().unwrap_or_default();
    let redirect = view.redirect.clone().map(|(peer, label)| {
        let s = svc.get_value();
        let warning = {
            let (s, p) = (s.clone(), peer.clone());
            move || editor.import_warning(&s, &p, true).map(|w| view! { <p class="note warn" role="note">{w}</p> })
        };
        let clear = ResolverChange::ClearRedirect {
            service: s.clone(),
            seen,
        };
        view! {
            <h4>"Redirect"</h4>
            <p>{format!("Every call to {s} goes to: {label}.")}
                " "<button type="button" class="secondary" aria-label=format!("Remove the redirect of {s}")
                    on:click=move |_| editor.propose(clear.clone())>"Remove redirect"</button>
            </p>
            {warning}
        }
    });
    view! {
        <article class="resolver" aria-label=format!("Failover of {service}") data-service=service.clone()>
            <h3>{service.clone()}</h3>
            <FieldErrors id=format!("resolver-{service}-error") messages=errors(ResolverField::Entry) />
            {targets}
            <FieldErrors id=format!("failover-{service}-error") messages=errors(ResolverField::Failover) />
            {others}
            {redirect}
            <FieldErrors id=format!("redirect-{service}-error") messages=errors(ResolverField::Redirect) />
        </article>
    }
}

/// A peer picker: a select of this cluster's peerings, or the one peer of a peer's page.
#[component]
fn PeerPicker(
    editor: FailoverEditor,
    id: &'static str,
    value: RwSignal<String>,
    fixed: bool,
) -> impl IntoView {
    if fixed {
        return view! { <input id=id readonly=true prop:value=value /> }.into_any();
    }
    view! {
        <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="" selected=move || value.get().is_empty()>"Choose a peer"</option>
            {move || editor.peer_names().into_iter().map(|p| {
                let selected = value.get_untracked() == p;
                view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
            }).collect_view()}
        </select>
    }
    .into_any()
}

/// Problems of the service typed in a form, unless a card already shows them.
fn form_errors(
    editor: FailoverEditor,
    service: RwSignal<String>,
    field: ResolverField,
) -> Signal<Vec<String>> {
    Signal::derive(move || {
        let s = service.get().trim().to_string();
        let has_card = editor.entries.data.with(|l| {
            l.as_ref().is_some_and(|l| {
                l.iter().any(|e| {
                    let v = view_of(e);
                    v.service == s && v.names_any_peer()
                })
            })
        });
        if has_card {
            Vec::new()
        } else {
            let mut out = editor.problems(&s, &ResolverField::Entry);
            out.extend(editor.problems(&s, &field));
            out
        }
    })
}

/// The texts and ids of one of the two forms.
struct FormText {
    redirect: bool,
    id: &'static str,
    label: &'static str,
    heading: &'static str,
    hint: &'static str,
    submit: &'static str,
}

const ADD_TARGET: FormText = FormText {
    redirect: false,
    id: "failover",
    label: "Add a failover target",
    heading: "Add a peer as a failover target",
    hint: "When every local instance of the service is unhealthy, its callers are sent to the same service in the peer (tried after the targets already listed).",
    submit: "Review failover target",
};

const REDIRECT: FormText = FormText {
    redirect: true,
    id: "redirect",
    label: "Redirect a service to a peer",
    heading: "Redirect a service to a peer",
    hint: "Every call to the service goes to the peer instead, whatever the health of local instances. A service cannot have both a redirect and failover.",
    submit: "Review redirect",
};

#[component]
fn AddTargetForm(editor: FailoverEditor, peer: Option<String>) -> impl IntoView {
    view! { <TargetForm editor peer text=ADD_TARGET /> }
}

#[component]
fn RedirectForm(editor: FailoverEditor, peer: Option<String>) -> impl IntoView {
    view! { <TargetForm editor peer text=REDIRECT /> }
}

/// Adds a failover target, or redirects (then also asks which service of the peer).
#[component]
fn TargetForm(editor: FailoverEditor, peer: Option<String>, text: FormText) -> impl IntoView {
    let FormText {
        redirect,
        id,
        label,
        heading,
        hint,
        submit,
    } = text;
    let fixed = peer.is_some();
    let service = RwSignal::new(String::new());
    let target = RwSignal::new(peer.unwrap_or_default());
    let remote = RwSignal::new(String::new());
    let warning = move || {
        let asked = if remote.get().trim().is_empty() {
            service.get()
        } else {
            remote.get()
        };
        editor.import_warning(asked.trim(), target.get().trim(), redirect)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (service, peer) = (
            service.get_untracked().trim().to_string(),
            target.get_untracked().trim().to_string(),
        );
        editor.propose(if redirect {
            ResolverChange::Redirect {
                service,
                peer,
                target: remote.get_untracked().trim().to_string(),
            }
        } else {
            ResolverChange::AddTarget { service, peer }
        });
    };
    let field = if redirect {
        ResolverField::Redirect
    } else {
        ResolverField::Failover
    };
    let errors = format!("{id}-form-error");
    let remote_field = redirect.then(|| view! {
        <label for="redirect-remote">"Service in the peer"</label>
        <input id="redirect-remote" placeholder="same name" prop:value=remote on:input=move |ev| remote.set(event_target_value(&ev)) />
    });
    view! {
        <form class="failover-form" on:submit=on_submit novalidate=true aria-label=label>
            <h3>{heading}</h3>
            <p class="hint">{hint}</p>
            <div class="inline-fields">
                <label for=format!("{id}-service")>"Local service"</label>
                <input id=format!("{id}-service") list="failover-local-services" placeholder="a service name" aria-describedby=errors.clone()
                    prop:value=service on:input=move |ev| service.set(event_target_value(&ev)) />
                <label for=format!("{id}-peer")>"Peer"</label>
                <PeerPicker editor id=if redirect { "redirect-peer" } else { "failover-peer" } value=target fixed />
                {remote_field}
                <button type="submit" disabled=move || editor.entries.data.with(Option::is_none)>{submit}</button>
            </div>
            {(!redirect).then(|| view! { <LocalServiceOptions id="failover-local-services" /> })}
            {move || warning().map(|w| view! { <p class="note warn" role="note">{w}</p> })}
            <FieldErrors id=errors messages=form_errors(editor, service, field) />
        </form>
    }
}
