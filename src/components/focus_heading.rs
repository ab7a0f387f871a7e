use leptos::prelude::*;

/// A heading that takes the focus when it appears, so keyboard and screen reader users land on
/// the new step instead of the top of the page.
#[component]
pub fn FocusHeading(#[prop(into)] text: String) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move || {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! { <h2 tabindex="-1" node_ref=heading>{text}</h2> }
}
