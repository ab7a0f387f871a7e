//! The intention the importing side must ask the exporting cluster for, as JSON and HCL to copy.
//! This cluster cannot know the name the other cluster gave its peering with this one, so the
//! operator types it, starting from this cluster's datacenter name (the usual convention).
use crate::components::cluster::use_cluster;
use crate::components::copy_button::CopyButton;
use crate::components::service_options::LocalServiceOptions;
use crate::model::checks::importer::intention_request;
use crate::model::entry_render::{to_hcl, to_json};
use leptos::prelude::*;
use stylers_macro::style;

#[component]
pub fn AskIntention(peer: String, service: String) -> impl IntoView {
    let class_name = style! {
        .ask-fields {
            display: flex;
            flex-wrap: wrap;
            gap: 1rem;
            margin: 0.5rem 0;
        }
        .ask-fields label {
            display: flex;
            flex-direction: column;
            gap: 0.25rem;
        }
        .ask-formats {
            display: grid;
            grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
            gap: 1rem;
        }
        .ask-format pre {
            overflow: auto;
            padding: 0.5rem;
            border: 1px solid var(--border);
            border-radius: var(--radius);
        }
    };
    let caller = RwSignal::new(String::new());
    let our_name = RwSignal::new(String::new());
    // The datacenter may come from /v1/agent/self after the page opened: fill it in then,
    // unless the operator has typed a name.
    let cluster = use_cluster();
    Effect::new(move |_| {
        if let Some(name) = cluster.datacenter() {
            if our_name.get_untracked().is_empty() {
                our_name.set(name);
            }
        }
    });
    let service = StoredValue::new(service);
    let entry = Memo::new(move |_| {
        let (c, n) = (caller.get(), our_name.get());
        let (c, n) = (c.trim(), n.trim());
        (!c.is_empty() && !n.is_empty()).then(|| intention_request(&service.get_value(), c, n))
    });
    let json = Signal::derive(move || {
        entry
            .get()
            .and_then(Result::ok)
            .map(|e| to_json(&e))
            .unwrap_or_default()
    });
    let hcl = Signal::derive(move || {
        entry
            .get()
            .and_then(Result::ok)
            .map(|e| to_hcl(&e))
            .unwrap_or_default()
    });
    let (svc, p) = (service.get_value(), peer.clone());
    let intro = view! {
        "Intentions are enforced in the cluster where " <bdi>{svc.clone()}</bdi> " runs: "
        <bdi>{p.clone()}</bdi> "'s operators must allow your service there. \
         This is the rule to ask them for. If " <bdi>{p.clone()}</bdi>
        " already has a service-intentions entry for " <bdi>{svc}</bdi>
        ", they add this source to its Sources (writing the entry as it is here would replace the others)."
    };
    let name_hint = view! {
        "The name " <bdi>{p.clone()}</bdi> " gave its peering with this cluster: it is filled in with this cluster's datacenter name, \
         the usual convention; " <bdi>{p}</bdi> "'s operators see the exact name on their Peers page."
    };
    view! { class=class_name,
        <section class="ask-intention" aria-labelledby="ask-heading">
            <h2 id="ask-heading">"The intention to ask " <bdi>{peer.clone()}</bdi> "'s operators for"</h2>
            <p>{intro}</p>
            <div class="ask-fields">
                <label>
                    "Your calling service (in this cluster)"
                    <input id="ask-caller" list="ask-local-services" placeholder="e.g. web" prop:value=caller
                        on:input=move |ev| caller.set(event_target_value(&ev)) />
                </label>
                <label>
                    "This cluster's peering name in " <bdi>{peer}</bdi>
                    <input id="ask-peer-name" prop:value=our_name aria-describedby="ask-peer-name-hint"
                        on:input=move |ev| our_name.set(event_target_value(&ev)) />
                </label>
            </div>
            <LocalServiceOptions id="ask-local-services" />
            <p class="hint" id="ask-peer-name-hint">{name_hint}</p>
            {move || match entry.get() {
                None => view! {
                    <p class="hint">"Enter your calling service and this cluster's peering name to see the intention."</p>
                }.into_any(),
                Some(Err(why)) => view! { <p class="refused" role="alert">{why}</p> }.into_any(),
                Some(Ok(_)) => view! { class=class_name,
                    <div class="ask-formats">
                        <div class="ask-format">
                            <h3>"JSON"</h3>
                            <pre role="region" aria-label="Intention as JSON" tabindex="0">{json}</pre>
                            <CopyButton text=json what="intention as JSON" />
                        </div>
                        <div class="ask-format">
                            <h3>"HCL (consul config write)"</h3>
                            <pre role="region" aria-label="Intention as HCL" tabindex="0">{hcl}</pre>
                            <CopyButton text=hcl what="intention as HCL" />
                        </div>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
