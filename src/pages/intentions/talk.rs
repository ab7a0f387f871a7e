//! "Can it talk?": whether Consul would let a service (of this cluster or of a peer) connect
//! to a destination, and which rule decides. No other Consul tool answers this for peers.
use crate::api::peering::list_peerings;
use crate::api::ApiError;
use crate::components::app_link::AppLink;
use crate::components::cluster::use_cluster;
use crate::components::loaded::use_loaded;
use crate::model::intentions::edit::{sources, text, SourceKey};
use crate::model::intentions::precedence::{decide, unmatched_default, Decision, UnmatchedDefault};
use crate::routes::Route;
use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;

#[component]
pub fn CanItTalk(entries: Vec<Value>, default_policy: Option<String>) -> impl IntoView {
    // The agent's default_intention_policy (1.18+) decides unmatched connections when set.
    let cluster = use_cluster();
    let agent_setting = use_loaded(move || {
        let policy = cluster.intention_policy();
        async move { Ok::<_, ApiError>(policy.await) }
    });
    let unmatched = Memo::new(move |_| {
        let read = agent_setting.get().flatten();
        unmatched_default(
            read.as_ref().map(Option::as_deref),
            default_policy.as_deref(),
        )
    });
    let mut peers: BTreeSet<String> = BTreeSet::new();
    let mut destinations: BTreeSet<String> = BTreeSet::new();
    for entry in &entries {
        destinations.insert(text(entry, "Name"));
        for source in sources(entry) {
            let peer = text(source, "Peer");
            if !peer.is_empty() {
                peers.insert(peer);
            }
        }
    }
    // Peers without rules yet are worth asking about too.
    let peerings = use_loaded(list_peerings);
    let peer_options = move || {
        let mut all = peers.clone();
        if let Some(list) = peerings.get() {
            all.extend(list.peerings.into_iter().map(|p| p.name));
        }
        all.into_iter()
            .map(|p| view! { <option value=p.clone()></option> })
            .collect_view()
    };
    let entries = StoredValue::new(entries);
    let peer = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let destination = RwSignal::new(String::new());
    let answer = move || {
        let (p, s, d) = (peer.get(), source.get(), destination.get());
        let (s, d) = (s.trim().to_string(), d.trim().to_string());
        if s.is_empty() || d.is_empty() {
            return view! { <p class="talk-hint">"Enter a source service and a destination to see what Consul would decide."</p> }.into_any();
        }
        let key = SourceKey::peered(p.trim(), &s);
        let default = unmatched.get();
        let assumed = match default {
            UnmatchedDefault::Known { allow, .. } => allow,
            UnmatchedDefault::Unknown { acl_allow } => acl_allow,
        };
        let decision = entries.with_value(|all| decide(all, &key, &d, assumed));
        let unknown_default = matches!(
            (&decision, default),
            (Decision::Default { .. }, UnmatchedDefault::Unknown { .. })
        );
        let tone = match decision.allowed().filter(|_| !unknown_default) {
            Some(true) => "allowed",
            Some(false) => "denied",
            None => "depends",
        };
        let why = match &decision {
            Decision::Rule(rule) => {
                let href = Route::EditIntention {
                    destination: rule.destination.clone(),
                    key: rule.source.clone(),
                };
                let description =
                    (!rule.description.is_empty()).then(|| format!(" “{}”", rule.description));
                view! {
                    <p class="talk-why">
                        "Decided by the rule " <strong>{rule.source.label()}</strong> " → "
                        <strong>{rule.destination.clone()}</strong>
                        {format!(" (precedence {})", rule.precedence)} {description} ". "
                        <AppLink href>"Open this rule"</AppLink>
                    </p>
                }
                .into_any()
            }
            Decision::Default { .. } => view! {
                <p class="talk-why">{default_reason(&key.label(), &d, default)}</p>
            }
            .into_any(),
        };
        let verdict = if unknown_default {
            "Depends on this agent's default_intention_policy: no intention matches".to_string()
        } else {
            decision.summary()
        };
        view! {
            <div class=format!("talk-answer {tone}") data-testid="talk-answer">
                <p class="talk-verdict">{verdict}</p>
                {why}
            </div>
        }
        .into_any()
    };
    view! {
        <section class="talk" aria-labelledby="talk-title">
            <h2 id="talk-title">"Can it talk?"</h2>
            <p class="talk-intro">
                "Checks what Consul decides for a connection: the matching rule with the highest precedence wins; "
                "a peer's services only match rules that name that peer."
            </p>
            <div class="talk-form">
                <label>
                    "Source peer"
                    <input list="talk-peers" placeholder="empty: this cluster" prop:value=peer
                        on:input=move |ev| peer.set(event_target_value(&ev)) />
                </label>
                <datalist id="talk-peers">{peer_options}</datalist>
                <label>
                    "Source service"
                    <input prop:value=source on:input=move |ev| source.set(event_target_value(&ev)) />
                </label>
                <label>
                    "Destination service"
                    <input list="talk-destinations" prop:value=destination
                        on:input=move |ev| destination.set(event_target_value(&ev)) />
                </label>
                <datalist id="talk-destinations">
                    {destinations.into_iter().filter(|d| d != "*").map(|d| view! { <option value=d></option> }).collect_view()}
                </datalist>
            </div>
            <div aria-live="polite">{answer}</div>
        </section>
    }
}

/// Why the default applies, and where it comes from.
fn default_reason(source: &str, destination: &str, default: UnmatchedDefault) -> String {
    let word = |allow: bool| if allow { "allow" } else { "deny" };
    match default {
        UnmatchedDefault::Known { allow, from_agent: true } => format!(
            "No intention matches {source} → {destination}. The default is {}, from default_intention_policy as configured on this agent (Consul 1.18+ applies it before the ACL default).",
            word(allow)
        ),
        UnmatchedDefault::Known { allow, from_agent: false } => format!(
            "No intention matches {source} → {destination}. The cluster's default comes from its ACL default policy ({}).",
            word(allow)
        ),
        UnmatchedDefault::Unknown { acl_allow } => format!(
            "No intention matches {source} → {destination}. Consul 1.18+ then applies the agent's default_intention_policy when it is set, which your token may not read (agent:read): if it is allow, the connection is allowed; if deny, denied. If it is not set, the ACL default policy ({}) decides.",
            word(acl_allow)
        ),
    }
}
