use crate::api::client::encode;
use crate::api::config_entries::{list_entries_with_policy, EntryList};
use crate::components::app_link::AppLink;
use crate::components::error_view::ErrorView;
use crate::components::loading::Loading;
use crate::components::session::track_session;
use crate::model::intention_edit::{SourceKey, KIND};
use crate::model::intentions::{intention_rows, IntentionRow, RuleAction};
use crate::pages::intentions_talk::CanItTalk;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde_json::Value;
use std::collections::BTreeSet;

/// `/intentions`: every source rule of every `service-intentions` entry.
#[component]
pub fn IntentionsPage() -> impl IntoView {
    let entries = LocalResource::new(move || {
        track_session();
        list_entries_with_policy(KIND)
    });
    let retry = Callback::new(move |_| entries.refetch());
    // The editor comes back here with what it did, so the operator sees it took effect.
    let query = use_query_map();
    let done = move || {
        query.with(|q| {
            q.get("saved")
                .map(|rule| format!("Saved {rule}."))
                .or_else(|| q.get("deleted").map(|rule| format!("Deleted {rule}.")))
        })
    };
    view! {
        <section class="page">
            <div class="page-header">
                <h1>"Intentions"</h1>
                <AppLink href="/intentions/new">"New intention"</AppLink>
            </div>
            {move || done().map(|text| view! { <p class="notice done" role="status">{text}</p> })}
            <Transition fallback=|| view! { <Loading what="intentions" /> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(EntryList { entries: list, default_policy: policy, filtered_by_acls }) => {
                            let hidden = filtered_by_acls.then(|| view! {
                                <p class="notice">"Some intentions are hidden: your token may not read them (intentions:read on their destination)."</p>
                            });
                            let rows = intention_rows(&list);
                            if rows.is_empty() {
                                view! {
                                    {hidden}
                                    <div class="empty-state">
                                        <h2>"No intentions yet"</h2>
                                        <p>"Intentions decide which services may call which. Sources from peered clusters are marked with their peer."</p>
                                    </div>
                                    <CanItTalk entries=list default_policy=policy />
                                }.into_any()
                            } else {
                                view! {
                                    {hidden}
                                    <IntentionBrowser rows />
                                    <CanItTalk entries=list default_policy=policy />
                                }.into_any()
                            }
                        }
                        Err(error) => view! { <ErrorView error on_retry=retry /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Filter values meaning "any" and "sources of this cluster".
const ANY: &str = "";
const LOCAL: &str = "(local)";

fn action_key(action: &RuleAction) -> &'static str {
    match action {
        RuleAction::Allow => "allow",
        RuleAction::Deny => "deny",
        RuleAction::L7(_) => "l7",
    }
}

fn row_matches(
    row: &IntentionRow,
    search: &str,
    peer: &str,
    destination: &str,
    action: &str,
) -> bool {
    let search = search.trim().to_lowercase();
    let text_hit = search.is_empty()
        || [
            row.source.as_str(),
            row.destination.as_str(),
            row.description.as_str(),
            row.source_peer.as_deref().unwrap_or_default(),
        ]
        .iter()
        .any(|field| field.to_lowercase().contains(&search));
    let peer_hit = match peer {
        ANY => true,
        LOCAL => row.source_peer.is_none(),
        p => row.source_peer.as_deref() == Some(p),
    };
    text_hit
        && peer_hit
        && (destination == ANY || row.destination == destination)
        && (action == ANY || action_key(&row.action) == action)
}

/// Search and filters over the rows.
#[component]
fn IntentionBrowser(rows: Vec<IntentionRow>) -> impl IntoView {
    let peers: BTreeSet<String> = rows.iter().filter_map(|r| r.source_peer.clone()).collect();
    let destinations: BTreeSet<String> = rows.iter().map(|r| r.destination.clone()).collect();
    let search = RwSignal::new(String::new());
    let peer = RwSignal::new(ANY.to_string());
    let destination = RwSignal::new(ANY.to_string());
    let action = RwSignal::new(ANY.to_string());
    let rows = StoredValue::new(rows);
    let shown = move || {
        let (s, p, d, a) = (search.get(), peer.get(), destination.get(), action.get());
        rows.with_value(|all| {
            all.iter()
                .filter(|r| row_matches(r, &s, &p, &d, &a))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let total = rows.with_value(Vec::len);
    view! {
        <div class="filters" role="search">
            <label>
                "Search"
                <input type="search" placeholder="service, peer, description"
                    prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
            </label>
            <label>
                "Source peer"
                <select on:change=move |ev| peer.set(event_target_value(&ev))>
                    <option value=ANY>"Any"</option>
                    <option value=LOCAL>"This cluster only"</option>
                    {peers.into_iter().map(|p| view! { <option value=p.clone()>{p.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Destination"
                <select on:change=move |ev| destination.set(event_target_value(&ev))>
                    <option value=ANY>"Any"</option>
                    {destinations.into_iter().map(|d| view! { <option value=d.clone()>{d.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Action"
                <select on:change=move |ev| action.set(event_target_value(&ev))>
                    <option value=ANY>"Any"</option>
                    <option value="allow">"allow"</option>
                    <option value="deny">"deny"</option>
                    <option value="l7">"L7 permissions"</option>
                </select>
            </label>
        </div>
        {move || {
            let rows = shown();
            let count = rows.len();
            view! {
                <p class="count" aria-live="polite">{format!("{count} of {total} rules")}</p>
                <IntentionTable rows />
            }
        }}
    }
}

/// The editor's address for one rule; Enterprise scope only when set.
pub fn edit_route(destination: &str, key: &SourceKey) -> String {
    let mut route = format!(
        "/intentions/{}/edit?peer={}&source={}",
        encode(destination),
        encode(&key.peer),
        encode(&key.name)
    );
    for (param, value) in [
        ("ns", &key.namespace),
        ("partition", &key.partition),
        ("sg", &key.sameness_group),
    ] {
        if !value.is_empty() {
            route.push_str(&format!("&{param}={}", encode(value)));
        }
    }
    route
}

/// Rules as a table, each with a link to its editor. Also used on a peer's page.
#[component]
pub fn IntentionTable(rows: Vec<IntentionRow>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let peer = row.source_peer.clone().map(|peer| view! { <span class="peer-tag" title="From a peered cluster">"peer: " {peer}</span> });
            let href = edit_route(&row.destination, &row.key);
            let label = format!(" rule {} to {}", row.key.label(), row.destination);
            view! {
                <tr data-destination=row.destination.clone() data-source=row.source.clone()
                    data-peer=row.source_peer.clone().unwrap_or_default()>
                    <td>{row.source.clone()} " " {peer}</td>
                    <td>{row.destination.clone()}</td>
                    <td class=format!("action {}", action_key(&row.action))>{row.action.label()}</td>
                    <td>{row.description.clone()}</td>
                    <td>{row.precedence.map(|p| p.to_string()).unwrap_or_default()}</td>
                    <td><AppLink href>"Edit"<span class="visually-hidden">{label}</span></AppLink></td>
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

/// The rows of `entries` whose source is a service of `peer`.
pub fn rows_from_peer(entries: &[Value], peer: &str) -> Vec<IntentionRow> {
    intention_rows(entries)
        .into_iter()
        .filter(|r| r.source_peer.as_deref() == Some(peer))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        source: &str,
        peer: Option<&str>,
        destination: &str,
        action: RuleAction,
    ) -> IntentionRow {
        IntentionRow {
            destination: destination.into(),
            source: source.into(),
            source_peer: peer.map(str::to_string),
            action,
            description: "the frontend".into(),
            precedence: Some(9),
            key: SourceKey::peered(peer.unwrap_or_default(), source),
        }
    }

    #[test]
    fn filters_combine() {
        let r = row("web", Some("dc2"), "api", RuleAction::Allow);
        assert!(row_matches(&r, "", ANY, ANY, ANY));
        assert!(row_matches(&r, "FRONT", "dc2", "api", "allow"));
        assert!(row_matches(&r, "dc2", ANY, ANY, ANY));
        assert!(!row_matches(&r, "", LOCAL, ANY, ANY));
        assert!(!row_matches(&r, "", ANY, "db", ANY));
        assert!(!row_matches(&r, "", ANY, ANY, "l7"));
        let local = row("web", None, "api", RuleAction::L7(2));
        assert!(row_matches(&local, "", LOCAL, ANY, "l7"));
        assert!(!row_matches(&local, "", "dc2", ANY, ANY));
    }

    #[test]
    fn peer_view_lists_only_that_peers_sources() {
        let entries = vec![serde_json::json!({"Name": "api", "Sources": [
            {"Name": "web", "Peer": "dc2", "Action": "allow"},
            {"Name": "web", "Action": "deny"},
            {"Name": "web", "Peer": "dc3", "Action": "deny"}
        ]})];
        let rows = rows_from_peer(&entries, "dc2");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].key, SourceKey::peered("dc2", "web"));
    }

    #[test]
    fn edit_route_encodes_names() {
        assert_eq!(
            edit_route("api", &SourceKey::peered("dc2", "*")),
            "/intentions/api/edit?peer=dc2&source=%2A"
        );
        assert_eq!(
            edit_route("a b", &SourceKey::local("web")),
            "/intentions/a%20b/edit?peer=&source=web"
        );
        let scoped = SourceKey {
            namespace: "team a".into(),
            sameness_group: "sg".into(),
            ..SourceKey::local("web")
        };
        assert_eq!(
            edit_route("api", &scoped),
            "/intentions/api/edit?peer=&source=web&ns=team%20a&sg=sg"
        );
    }
}
