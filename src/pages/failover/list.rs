//! `/failover[?service=&peer=]`: every service of this cluster that fails over or redirects to a
//! peer, editable; filtered by service name and by peer.
use crate::pages::failover::FailoverSection;
use crate::routes::hooks::{use_replace_route, use_route_part, use_url_filter};
use crate::routes::{FailoverQuery, Route};
use leptos::prelude::*;

#[component]
pub fn FailoverPage() -> impl IntoView {
    let query = use_route_part(|r| match r {
        Route::Failover(q) => Some(q.clone()),
        _ => None,
    });
    let replace = use_replace_route();
    // The service filter lives in the URL, as on Peers (`use_url_filter`): it follows links (a
    // delete confirmation's `?service=`, Back) and what is typed.
    let (service, on_service) = use_url_filter(
        Memo::new(move |_| query.with(|q| q.service.clone())),
        move |service| {
            replace(&Route::Failover(FailoverQuery {
                service,
                peer: query.with_untracked(|q| q.peer.clone()),
            }))
        },
    );
    // A link may change the peer while the page stays mounted (the header's "Failover").
    let peer = Memo::new(move |_| query.with(|q| Some(q.peer.clone()).filter(|p| !p.is_empty())));
    view! {
        <section class="page">
            <div class="page-header"><h1>"Failover and redirects to peers"</h1></div>
            <p class="intro">
                "The service-resolver entries of this cluster that send a service's callers to a peer: failover targets, "
                "tried in order when no local instance is healthy, and redirects, which send every call. A peer must export the "
                "service to this cluster, or the failover finds nothing. Every change is written with check-and-set."
            </p>
            <div class="filters" role="search" aria-label="Filter failover">
                <label>"Service"
                    <input type="search" placeholder="name contains…" prop:value=service
                        on:input=move |ev| on_service(event_target_value(&ev)) />
                </label>
            </div>
            {move || match peer.get() {
                Some(peer) => view! { <FailoverSection peer service /> }.into_any(),
                None => view! { <FailoverSection service /> }.into_any(),
            }}
        </section>
    }
}
