//! Links inside the console. leptos_router's `<A>` leaves absolute paths untouched, so the
//! router base (Consul's ContentPath, e.g. `/ui` or `/consul/ui`) is prefixed here, once.
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::components::A;

/// The router base, provided by the app from the page's `<base href>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouterBase(pub String);

/// The full path of an app route (`/peers` → `/ui/peers`).
pub fn app_path(route: &Route) -> String {
    let base = use_context::<RouterBase>().unwrap_or_default().0;
    format!("{base}{}", route.href())
}

/// `<A>` for an app route such as `Route::peer("dc2")`.
#[component]
pub fn AppLink(href: Route, children: Children) -> impl IntoView {
    view! { <A href=app_path(&href)>{children()}</A> }
}
