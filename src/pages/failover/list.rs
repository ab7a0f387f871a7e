//! `/failover[?service=&peer=]`: every service of this cluster that fails over or redirects to a
//! peer, editable; filtered by service name and by peer.
use crate::pages::failover::view::FailoverSection;
use crate::routes::FailoverQuery;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FailoverPage() -> impl IntoView {
    let query = use_query_map();
    let service = RwSignal::new(String::new());
    // The filter follows links (a delete confirmation's `?service=`) and is then typed in.
    Effect::new(move |_| service.set(query.with(|q| FailoverQuery::parse(|k| q.get(k)).service)));
    // A link may change the peer while the page stays mounted (the header's "Failover").
    let peer = Memo::new(move |_| query.with(|q| q.get("peer")).filter(|p| !p.is_empty()));
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
                        on:input=move |ev| service.set(event_target_value(&ev)) />
                </label>
            </div>
            {move || match peer.get() {
                Some(peer) => view! { <FailoverSection peer service /> }.into_any(),
                None => view! { <FailoverSection service /> }.into_any(),
            }}
        </section>
    }
}
