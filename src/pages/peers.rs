use crate::api::peering::{list_peerings, PeeringList};
use crate::components::error_view::ErrorView;
use crate::components::loading::Loading;
use crate::components::state_badge::StateBadge;
use leptos::prelude::*;
use stylers_macro::style;

/// `/peers`: every peering of this cluster.
#[component]
pub fn PeersPage() -> impl IntoView {
    let peerings = LocalResource::new(list_peerings);
    let retry = Callback::new(move |_| peerings.refetch());
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"Peers"</h1>
                <button type="button" class="secondary" on:click=move |_| peerings.refetch()>"Refresh"</button>
            </div>
            <Transition fallback=|| view! { <Loading what="peers" /> }>
                {move || Suspend::new(async move {
                    match peerings.await {
                        Ok(list) if list.peerings.is_empty() => view! { <NoPeers /> }.into_any(),
                        Ok(list) => view! { <PeerTable list /> }.into_any(),
                        Err(error) => view! { <ErrorView error on_retry=retry /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The empty state explains what peering is before asking for anything.
#[component]
fn NoPeers() -> impl IntoView {
    view! {
        <div class="empty-state">
            <h2>"No peer connections yet"</h2>
            <p>
                "Cluster peering connects this Consul cluster to another, independent one so their services can "
                "reach each other. One cluster generates a peering token; the other uses it to establish the connection."
            </p>
        </div>
    }
}

#[component]
fn PeerTable(list: PeeringList) -> impl IntoView {
    let class_name = style! {
        table {
            width: 100%;
            border-collapse: collapse;
        }
        th, td {
            text-align: left;
            padding: 0.5rem 0.75rem;
            border-bottom: 1px solid var(--border);
        }
        th {
            font-size: 0.8rem;
            text-transform: uppercase;
            letter-spacing: 0.04rem;
            color: var(--muted);
        }
        td.num {
            font-variant-numeric: tabular-nums;
        }
        .name {
            font-weight: 600;
        }
    };
    let filtered = list.filtered_by_acls;
    let rows = list
        .peerings
        .into_iter()
        .map(|p| {
            let remote = if p.remote.datacenter.is_empty() {
                "—".to_string()
            } else {
                p.remote.datacenter.clone()
            };
            view! {
                <tr data-peer=p.name.clone()>
                    <td class="name">{p.name.clone()}</td>
                    <td><StateBadge state=p.state /></td>
                    <td>{remote}</td>
                    <td class="num">{p.stream_status.imported_services.len()}</td>
                    <td class="num">{p.stream_status.exported_services.len()}</td>
                </tr>
            }
        })
        .collect_view();
    view! { class=class_name,
        {filtered.then(|| view! { <p class="notice">"Some peerings are hidden: your token may not read them."</p> })}
        <table aria-label="Peerings">
            <thead>
                <tr>
                    <th scope="col">"Peer"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Remote datacenter"</th>
                    <th scope="col">"Imported services"</th>
                    <th scope="col">"Exported services"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
