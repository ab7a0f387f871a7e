//! Messages next to a form field.
use leptos::prelude::*;

/// Messages for one field, announced when they appear.
#[component]
pub fn FieldErrors(#[prop(into)] id: String, messages: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <div id=id class="field-errors" aria-live="polite">
            {move || messages.get().into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()}
        </div>
    }
}
