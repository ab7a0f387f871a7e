//! `/intentions/new` and `/intentions/:destination/edit`: the rule's editor, opened on a new
//! rule (prefilled from the query) or on the rule as Consul has it now.
use super::editor::Editor;
use crate::api::config_entries::read_entry;
use crate::components::app_link::AppLink;
use crate::components::loaded::{use_loaded, LoadedView};
use crate::model::intentions::edit::{find_source, text, SourceDraft, SourceKey, Verdict, KIND};
use crate::routes::hooks::use_route_part;
use crate::routes::Route;
use leptos::prelude::*;

/// `/intentions/new[?peer=&destination=]`
#[component]
pub fn IntentionNewPage() -> impl IntoView {
    let (peer, destination) = use_route_part(|r| match r {
        Route::NewIntention { peer, destination } => Some((peer.clone(), destination.clone())),
        _ => None,
    })
    .get_untracked();
    let draft = SourceDraft {
        destination,
        peer,
        name: String::new(),
        action: Verdict::Allow,
        description: String::new(),
    };
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"New intention"</h1>
                <AppLink href=Route::Intentions>"Back to intentions"</AppLink>
            </div>
            <Editor draft original=None base=None />
        </section>
    }
}

/// `/intentions/:destination/edit?peer=&source=`
#[component]
pub fn IntentionEditPage() -> impl IntoView {
    let (destination, key) = use_route_part(|r| match r {
        Route::EditIntention { destination, key } => Some((destination.clone(), key.clone())),
        _ => None,
    })
    .get_untracked();
    let title = format!("Edit rule {} → {destination}", key.label());
    let dest = destination.clone();
    // Follows the session: signing in with a token that may read the entry shows it.
    let entry = use_loaded(move || {
        let dest = dest.clone();
        async move { read_entry(KIND, &dest).await }
    });
    let key = StoredValue::new(key);
    let destination = StoredValue::new(destination);
    view! {
        <section class="page">
            <div class="page-header">
                <h1>{title}</h1>
                <AppLink href=Route::Intentions>"Back to intentions"</AppLink>
            </div>
            <LoadedView loaded=entry.status() what="the intention">
                {move || {
                    let key = key.get_value();
                    let dest = destination.get_value();
                    // Mounted once per answer: the editor keeps its form across refreshes.
                    match entry.get() {
                        None => ().into_any(),
                        Some(Some(value)) => match find_source(&value, &key).cloned() {
                            Some(source) => {
                                let draft = draft_of(&dest, &key, &source);
                                view! { <Editor draft original=Some(key) base=Some(value) /> }.into_any()
                            }
                            None => view! { <Gone what=format!("The rule {} is not in the intentions of {dest} (any more).", key.label()) /> }.into_any(),
                        },
                        Some(None) => view! { <Gone what=format!("{dest} has no intentions (any more).") /> }.into_any(),
                    }
                }}
            </LoadedView>
        </section>
    }
}

/// The form's fields from a stored rule.
fn draft_of(destination: &str, key: &SourceKey, source: &serde_json::Value) -> SourceDraft {
    SourceDraft {
        destination: destination.to_string(),
        peer: key.peer.clone(),
        name: key.name.clone(),
        action: Verdict::parse(&text(source, "Action")).unwrap_or(Verdict::Allow),
        description: text(source, "Description"),
    }
}

#[component]
fn Gone(what: String) -> impl IntoView {
    view! {
        <div class="empty-state" role="status">
            <h2>"Rule not found"</h2>
            <p>{what} " Someone may have deleted or renamed it."</p>
            <AppLink href=Route::Intentions>"Back to intentions"</AppLink>
        </div>
    }
}
