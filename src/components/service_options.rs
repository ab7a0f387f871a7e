//! The choices offered where a form asks for a service of this cluster (exports, failover, the
//! intention to ask another cluster for): a `<datalist>` of the services registered here.
use crate::api::catalog::local_services;
use crate::components::loaded::use_loaded;
use leptos::prelude::*;

/// The picker's choices: this cluster's services. Consul's own service is left out (`*` skips
/// it too); any other name can still be typed.
#[component]
pub fn LocalServiceOptions(id: &'static str) -> impl IntoView {
    let services = use_loaded(local_services);
    view! {
        <datalist id=id>
            {move || services.get().unwrap_or_default().into_iter()
                .filter(|s| s != "consul")
                .map(|s| view! { <option value=s></option> }).collect_view()}
        </datalist>
    }
}
