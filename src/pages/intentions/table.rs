//! Intention rules as a table, each with a link to its editor: on `/intentions` and on a
//! peer's page.
use crate::components::app_link::AppLink;
use crate::model::intentions::rows::{action_key, IntentionRow};
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn IntentionTable(rows: Vec<IntentionRow>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let peer = row.source_peer.clone().map(|peer| view! { <span class="peer-tag" title="From a peered cluster">"peer: " <bdi>{peer}</bdi></span> });
            let href = Route::EditIntention {
                destination: row.destination.clone(),
                key: row.key.clone(),
            };
            let (key_label, to) = (row.key.label(), row.destination.clone());
            view! {
                <tr data-destination=row.destination.clone() data-source=row.source.clone()
                    data-peer=row.source_peer.clone().unwrap_or_default()>
                    <td><bdi>{row.source.clone()}</bdi> " " {peer}</td>
                    <td><bdi>{row.destination.clone()}</bdi></td>
                    <td class=format!("action {}", action_key(&row.action))>{row.action.label()}</td>
                    <td>{row.description.clone()}</td>
                    <td>{row.precedence.map(|p| p.to_string()).unwrap_or_default()}</td>
                    <td><AppLink href>"Edit"<span class="visually-hidden">" rule " <bdi>{key_label}</bdi> " to " <bdi>{to}</bdi></span></AppLink></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" aria-label="Intentions">
            <thead>
                <tr>
                    <th scope="col">"Source"</th>
                    <th scope="col">"Destination"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col">"Precedence"</th>
                    <th scope="col"><span class="visually-hidden">"Edit"</span></th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}
