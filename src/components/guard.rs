//! Actions the token may not perform are shown disabled with the permission they need,
//! never hidden without explanation.
use crate::components::app_link::AppLink;
use crate::components::session::use_session;
use crate::model::consul::access::needs;
use crate::routes::Route;
use leptos::prelude::*;

/// True when Consul said the token lacks `permission` (unknown counts as allowed).
pub fn denied(permission: &'static str) -> Signal<bool> {
    let session = use_session();
    Signal::derive(move || session.access.with(|a| a.denies(permission)))
}

/// The tooltip for a control that `denied` disables.
pub fn denied_title(permission: &'static str) -> Signal<Option<String>> {
    let denied = denied(permission);
    Signal::derive(move || denied.get().then(|| needs(permission)))
}

/// A link styled as a button that turns into a disabled control naming the permission.
#[component]
pub fn GuardedLink(permission: &'static str, href: Route, children: ChildrenFn) -> impl IntoView {
    let denied = denied(permission);
    move || {
        if denied.get() {
            let children = children.clone();
            view! {
                <span class="button-link disabled" role="link" aria-disabled="true" tabindex="0" title=needs(permission)>
                    {children()}
                </span>
            }
            .into_any()
        } else {
            let children = children.clone();
            view! { <AppLink href=href.clone()>{children()}</AppLink> }.into_any()
        }
    }
}
