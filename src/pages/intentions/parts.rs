//! Small pieces of the intention editor: the Enterprise scope line and read-only L7 permissions.
use leptos::prelude::*;
use serde_json::Value;

/// An empty Enterprise scope value, spelled out.
pub fn or_none(value: &str) -> &str {
    if value.is_empty() {
        "none"
    } else {
        value
    }
}

/// L7 permissions, read-only: the console keeps them exactly as they are.
#[component]
pub fn Permissions(perms: Vec<Value>) -> impl IntoView {
    let items = perms
        .into_iter()
        .map(|p| {
            let action = p
                .get("Action")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            let http = p.get("HTTP").cloned().unwrap_or(Value::Null);
            let mut parts = Vec::new();
            for key in ["PathExact", "PathPrefix", "PathRegex"] {
                if let Some(v) = http.get(key).and_then(Value::as_str) {
                    parts.push(format!("{key} {v}"));
                }
            }
            if let Some(methods) = http.get("Methods").and_then(Value::as_array) {
                let m: Vec<&str> = methods.iter().filter_map(Value::as_str).collect();
                parts.push(format!("methods {}", m.join(", ")));
            }
            if let Some(headers) = http.get("Header").and_then(Value::as_array) {
                parts.push(format!(
                    "{} header match{}",
                    headers.len(),
                    if headers.len() == 1 { "" } else { "es" }
                ));
            }
            if p.get("JWT").is_some() {
                parts.push("JWT requirement".into());
            }
            view! { <li><strong>{action}</strong> " " {parts.join("; ")}</li> }
        })
        .collect_view();
    view! {
        <section class="field permissions" aria-labelledby="ix-perms-title">
            <h3 id="ix-perms-title">"L7 permissions (read-only)"</h3>
            <p class="hint">"Kept exactly as they are when you save. Edit them with consul config write."</p>
            <ol>{items}</ol>
        </section>
    }
}
