//! The map's data as a table: every peer (none collapsed), in the map's order, for screen
//! readers and for reading exact values.
use crate::components::app_link::AppLink;
use crate::components::state_badge::StateBadge;
use crate::model::map::layout::MapPeer;
use crate::model::peers::freshness::{describe_time, set_time, NO_SERVER_CLOCK};
use crate::routes::Route;
use leptos::prelude::*;
use std::collections::HashMap;

#[component]
pub fn PeerMapTable(peers: Signal<Vec<MapPeer>>, server_now: Signal<Option<i64>>) -> impl IntoView {
    // Heartbeats move at every poll: rows are keyed without them, so a row (and the keyboard or
    // screen reader focus in it) stays, and each row reads its heartbeat from here.
    let heartbeats = Memo::new(move |_| {
        peers.with(|ps| {
            ps.iter()
                .map(|p| (p.name.clone(), p.heartbeat.clone()))
                .collect::<HashMap<_, _>>()
        })
    });
    view! {
        <table class="data" aria-label="Peerings on the map">
            <thead>
                <tr>
                    <th scope="col">"Peer"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Last heartbeat"</th>
                    <th scope="col" title="Services this cluster imports from the peer">"Imported"</th>
                    <th scope="col" title="Services this cluster exports to the peer">"Exported"</th>
                    <th scope="col" title="Local services whose service-resolver fails over or redirects to the peer">"Failover to this peer"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || peers.get() key=|p| MapPeer { heartbeat: None, ..p.clone() } let:p>
                    <Row p heartbeats server_now />
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn Row(
    p: MapPeer,
    heartbeats: Memo<HashMap<String, Option<String>>>,
    server_now: Signal<Option<i64>>,
) -> impl IntoView {
    let name = p.name.clone();
    let heartbeat_at = Memo::new(move |_| {
        heartbeats.with(|h| {
            h.get(&name)
                .and_then(|at| set_time(at.as_deref()))
                .map(str::to_string)
        })
    });
    let heartbeat = move || {
        heartbeat_at
            .with(|at| describe_time(at.as_deref(), server_now.get()))
            .unwrap_or_else(|| "None yet".into())
    };
    let failover = if p.failover.is_empty() {
        "—".to_string()
    } else {
        p.failover.join(", ")
    };
    let href = Route::peer(&p.name);
    let link_text = p.name.clone();
    view! {
        <tr data-peer=p.name>
            <td><AppLink href=href>{link_text}</AppLink></td>
            <td>
                <StateBadge state=p.state />
                {p.stale.then(|| view! { <span class="stale-note">" Stale: no heartbeat for over 2 min"</span> })}
                {p.unknown.then(|| view! { <span class="stale-note" title=NO_SERVER_CLOCK>" Can't tell if alive: no server clock"</span> })}
            </td>
            <td title=move || heartbeat_at.get().unwrap_or_default()>{heartbeat}</td>
            <td>{p.imported}</td>
            <td>{p.exported}</td>
            <td>{failover}</td>
        </tr>
    }
}
