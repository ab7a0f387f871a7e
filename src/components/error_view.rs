use crate::api::ApiError;
use crate::components::session::use_session;
use crate::model::consul::access::rule_for;
use leptos::prelude::*;
use stylers_macro::style;

/// An error explained: headline, Consul's own message and status, what to do, and a retry.
#[component]
pub fn ErrorView(
    error: ApiError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let class_name = style! {
        .error-panel {
            border: 1px solid var(--bad);
            border-left-width: 4px;
            border-radius: var(--radius);
            padding: 0.75rem 1rem;
            background: var(--bad-bg);
            max-width: 60rem;
        }
        .error-panel h2 {
            margin: 0 0 0.25rem;
            font-size: 1.1rem;
            color: var(--bad);
        }
        .consul-text {
            font-family: var(--mono);
            font-size: 0.9rem;
            white-space: pre-wrap;
            word-break: break-word;
            margin: 0.5rem 0;
        }
        .advice {
            margin: 0.25rem 0 0.5rem;
        }
    };
    let subject = error.denied_subject();
    let rule = error
        .missing_permission()
        .and_then(|p| rule_for(&p, subject.as_deref()));
    let sign_in = error.wants_sign_in().then(use_session);
    let raw = match &error {
        ApiError::Http { body, .. } => body.clone(),
        other => other.to_string(),
    };
    let status = match error.status() {
        Some(code) => format!("HTTP {code}"),
        None => "No answer".to_string(),
    };
    view! { class=class_name,
        <div class="error-panel" role="alert">
            <h2>{error.title()}</h2>
            <p class="consul-text">
                <strong class="status">{status}</strong>
                ": "
                <span class="message">{error.consul_message()}</span>
            </p>
            <p class="advice">{error.advice()}</p>
            {rule.map(|rule| view! {
                <p class="rule">"Ask for a policy with this rule: " <code>{rule}</code></p>
            })}
            <div class="error-actions">
                {sign_in.map(|session| view! {
                    <button type="button" class="secondary" on:click=move |_| session.sign_in_open.set(true)>"Sign in with another token"</button>
                })}
                {on_retry.map(|retry| view! { <button type="button" on:click=move |_| retry.run(())>"Retry"</button> })}
            </div>
            <details class="raw">
                <summary>"Consul's full answer"</summary>
                <pre>{raw}</pre>
            </details>
        </div>
    }
}
