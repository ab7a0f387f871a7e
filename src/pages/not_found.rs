use crate::components::app_link::AppLink;
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Any path the router does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let location = use_location();
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"Nothing lives at " <code>{move || location.pathname.get()}</code> " in this console."</p>
            <p><AppLink href=Route::peers()>"Go to Peers"</AppLink></p>
        </section>
    }
}
