use crate::components::app_link::AppLink;
use crate::components::copy_button::CopyButton;
use crate::routes::{NameKind, Route};
use leptos::prelude::*;

/// A link whose name the console cannot put into an API path safely (`routes::safe_name`): it
/// says so and gives the CLI command instead; nothing is requested from Consul.
#[component]
pub fn UnsafeNamePage(what: NameKind, name: String) -> impl IntoView {
    // Control characters shown as escapes, so the name on screen is the name in the link.
    let shown: String = name
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    let command = what.cli(&name);
    view! {
        <section class="page">
            <h1>"Cannot open this name safely"</h1>
            <p>
                "The console cannot open this " {what.label()} " name safely: "
                <code>{shown}</code>
                ". Put into a request to Consul, it would read or change another object, so the console sends nothing for it."
            </p>
            <p>"Use the Consul CLI instead:"</p>
            <pre><code>{command.clone()}</code></pre>
            <CopyButton text=command what="CLI command" />
            <p><AppLink href=Route::peers()>"Go to Peers"</AppLink></p>
        </section>
    }
}
