//! The console's routes: one enum with each route's parameters and query. Every in-app link and
//! navigation is built here (`Route::href`), and every page reads its query through the parsers
//! here, so no page formats a path or query string by hand. Pure: natively tested.
use crate::model::checks::lines::Fix;
use crate::model::intentions::edit::SourceKey;
use crate::model::peers::list::ListQuery;
use crate::url::{encode, query};

/// A place in the console. `href()` is relative to the router base (Consul's ContentPath).
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// `/peers?q=&state=&sort=&page=`
    Peers(ListQuery),
    /// `/peers/new[?tab=establish&name=]`
    AddPeer(AddPeerQuery),
    /// `/peers/:name[?action=delete|regenerate]`
    Peer {
        name: String,
        panel: Option<PeerPanel>,
    },
    /// `/exports[?service=&peer=]`
    Exports(ExportsQuery),
    /// `/intentions`
    Intentions,
    /// `/gateways`
    Gateways,
    /// `/map`
    Map,
    /// `/failover[?service=&peer=]`
    Failover(FailoverQuery),
    /// `/intentions/new[?peer=&destination=]`
    NewIntention { peer: String, destination: String },
    /// `/intentions/:destination/edit?peer=&source=[&ns=&partition=&sg=]`
    EditIntention { destination: String, key: SourceKey },
    /// `/peers/:name/exported/:service`: "Why can't the peer see my service?"
    WhyExport { peer: String, service: String },
    /// `/peers/:name/imported/:service`: "Why can't my service call theirs?"
    WhyImport { peer: String, service: String },
}

/// The panel open on a peer's page: a link can open it directly (the list's row actions do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerPanel {
    Delete,
    Regenerate,
}

impl PeerPanel {
    fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::Regenerate => "regenerate",
        }
    }

    /// The `action` query value; anything else opens nothing.
    pub fn parse(action: Option<&str>) -> Option<Self> {
        match action? {
            "delete" => Some(Self::Delete),
            "regenerate" => Some(Self::Regenerate),
            _ => None,
        }
    }
}

/// The add-peer page: which form comes first, and a prefilled peer name (re-establishing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddPeerQuery {
    pub establish: bool,
    pub name: String,
}

impl AddPeerQuery {
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            establish: get("tab").as_deref() == Some("establish"),
            name: get("name").unwrap_or_default(),
        }
    }
}

/// A page's service and peer filters (`/exports`, `/failover`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServicePeerQuery {
    pub service: String,
    pub peer: String,
}

/// The exports page's filters.
pub type ExportsQuery = ServicePeerQuery;
/// The failover page's filters: a service (a link to one resolver) and a peer.
pub type FailoverQuery = ServicePeerQuery;

impl ServicePeerQuery {
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            service: get("service").unwrap_or_default(),
            peer: get("peer").unwrap_or_default(),
        }
    }
}

/// The peers list's query (`q`, `state`, `sort`, `page`).
pub fn parse_peers_query(get: impl Fn(&str) -> Option<String>) -> ListQuery {
    ListQuery::from_params(
        get("q").as_deref(),
        get("state").as_deref(),
        get("sort").as_deref(),
    )
    .with_page(get("page").as_deref())
}

/// A new intention's prefilled peer and destination.
pub fn parse_new_intention(get: impl Fn(&str) -> Option<String>) -> (String, String) {
    (
        get("peer").unwrap_or_default(),
        get("destination").unwrap_or_default(),
    )
}

/// The rule an edit page is about; Enterprise scope only when set.
pub fn parse_intention_key(get: impl Fn(&str) -> Option<String>) -> SourceKey {
    SourceKey {
        name: get("source").unwrap_or_default(),
        peer: get("peer").unwrap_or_default(),
        namespace: get("ns").unwrap_or_default(),
        partition: get("partition").unwrap_or_default(),
        sameness_group: get("sg").unwrap_or_default(),
    }
}

fn non_empty(value: &str) -> Option<&str> {
    (!value.is_empty()).then_some(value)
}

impl Route {
    pub fn peers() -> Self {
        Self::Peers(ListQuery::default())
    }

    pub fn peer(name: &str) -> Self {
        Self::Peer {
            name: name.to_string(),
            panel: None,
        }
    }

    pub fn add_peer() -> Self {
        Self::AddPeer(AddPeerQuery::default())
    }

    pub fn new_intention(peer: &str, destination: &str) -> Self {
        Self::NewIntention {
            peer: peer.to_string(),
            destination: destination.to_string(),
        }
    }

    pub fn exports() -> Self {
        Self::Exports(ExportsQuery::default())
    }

    pub fn failover() -> Self {
        Self::Failover(FailoverQuery::default())
    }

    /// `/failover?service=` for one service's resolver.
    pub fn failover_of(service: &str) -> Self {
        Self::Failover(FailoverQuery {
            service: service.to_string(),
            peer: String::new(),
        })
    }

    /// Where a checklist line's fix is made.
    pub fn of_fix(fix: &Fix) -> Self {
        match fix {
            Fix::Export { service, peer } => Self::Exports(ExportsQuery {
                service: service.clone(),
                peer: peer.clone(),
            }),
            Fix::Peer(name) => Self::peer(name),
            Fix::AddPeer => Self::add_peer(),
            Fix::Gateways => Self::Gateways,
            Fix::NewIntention { peer, destination } => Self::new_intention(peer, destination),
            Fix::EditIntention {
                destination,
                source,
            } => Self::EditIntention {
                destination: destination.clone(),
                key: source.clone(),
            },
        }
    }

    /// The path and query, e.g. `/peers/dc2?action=delete`.
    pub fn href(&self) -> String {
        match self {
            Self::Peers(q) => {
                let state = q.state.map(|s| s.label().to_lowercase());
                let sort = q.sort_param();
                let page = (q.page > 1).then(|| q.page.to_string());
                format!(
                    "/peers{}",
                    query(&[
                        ("q", non_empty(&q.search)),
                        ("state", state.as_deref()),
                        ("sort", sort.as_deref()),
                        ("page", page.as_deref()),
                    ])
                )
            }
            Self::AddPeer(q) => format!(
                "/peers/new{}",
                query(&[
                    ("tab", q.establish.then_some("establish")),
                    ("name", non_empty(&q.name)),
                ])
            ),
            Self::Peer { name, panel } => format!(
                "/peers/{}{}",
                encode(name),
                query(&[("action", panel.map(PeerPanel::as_str))])
            ),
            Self::Exports(q) => format!(
                "/exports{}",
                query(&[
                    ("service", non_empty(&q.service)),
                    ("peer", non_empty(&q.peer))
                ])
            ),
            Self::Intentions => "/intentions".to_string(),
            Self::Gateways => "/gateways".to_string(),
            Self::Map => "/map".to_string(),
            Self::Failover(q) => format!(
                "/failover{}",
                query(&[
                    ("service", non_empty(&q.service)),
                    ("peer", non_empty(&q.peer))
                ])
            ),
            Self::NewIntention { peer, destination } => format!(
                "/intentions/new{}",
                query(&[
                    ("peer", non_empty(peer)),
                    ("destination", non_empty(destination))
                ])
            ),
            Self::EditIntention { destination, key } => format!(
                "/intentions/{}/edit{}",
                encode(destination),
                query(&[
                    ("peer", Some(&key.peer)),
                    ("source", Some(&key.name)),
                    ("ns", non_empty(&key.namespace)),
                    ("partition", non_empty(&key.partition)),
                    ("sg", non_empty(&key.sameness_group)),
                ])
            ),
            Self::WhyExport { peer, service } => {
                format!("/peers/{}/exported/{}", encode(peer), encode(service))
            }
            Self::WhyImport { peer, service } => {
                format!("/peers/{}/imported/{}", encode(peer), encode(service))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::peers::peering::PeeringState;
    use std::collections::HashMap;

    fn getter(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn edit_route_encodes_names_and_keeps_scope_only_when_set() {
        let href = |d: &str, key: SourceKey| {
            Route::EditIntention {
                destination: d.into(),
                key,
            }
            .href()
        };
        assert_eq!(
            href("api", SourceKey::peered("dc2", "*")),
            "/intentions/api/edit?peer=dc2&source=%2A"
        );
        assert_eq!(
            href("a b", SourceKey::local("web")),
            "/intentions/a%20b/edit?peer=&source=web"
        );
        let scoped = SourceKey {
            namespace: "team a".into(),
            sameness_group: "sg1".into(),
            ..SourceKey::local("web")
        };
        assert_eq!(
            href("api", scoped.clone()),
            "/intentions/api/edit?peer=&source=web&ns=team%20a&sg=sg1"
        );
        // And back: the edit page reads the same key.
        let read = parse_intention_key(getter(&[
            ("peer", ""),
            ("source", "web"),
            ("ns", "team a"),
            ("sg", "sg1"),
        ]));
        assert_eq!(read, scoped);
    }

    #[test]
    fn map_route() {
        assert_eq!(Route::Map.href(), "/map");
        assert_eq!(Route::peer("dc 2").href(), "/peers/dc%202");
    }

    #[test]
    fn checklist_routes_encode_both_names_and_fixes_link_to_their_pages() {
        let why = Route::WhyExport {
            peer: "dc2".into(),
            service: "my api".into(),
        };
        assert_eq!(why.href(), "/peers/dc2/exported/my%20api");
        let why = Route::WhyImport {
            peer: "dc2".into(),
            service: "api".into(),
        };
        assert_eq!(why.href(), "/peers/dc2/imported/api");
        let fix = |f: Fix| Route::of_fix(&f).href();
        assert_eq!(
            fix(Fix::Export {
                service: "web".into(),
                peer: "dc2".into()
            }),
            "/exports?service=web&peer=dc2"
        );
        assert_eq!(fix(Fix::Peer("dc2".into())), "/peers/dc2");
        assert_eq!(fix(Fix::AddPeer), "/peers/new");
        assert_eq!(fix(Fix::Gateways), "/gateways");
        assert_eq!(
            fix(Fix::NewIntention {
                peer: "dc2".into(),
                destination: "web".into()
            }),
            "/intentions/new?peer=dc2&destination=web"
        );
        assert_eq!(
            fix(Fix::EditIntention {
                destination: "web".into(),
                source: SourceKey::peered("dc2", "*")
            }),
            "/intentions/web/edit?peer=dc2&source=%2A"
        );
    }

    #[test]
    fn gateways_and_failover_routes() {
        assert_eq!(Route::Gateways.href(), "/gateways");
        assert_eq!(Route::failover().href(), "/failover");
        assert_eq!(
            Route::failover_of("my api").href(),
            "/failover?service=my%20api"
        );
        let q = FailoverQuery::parse(getter(&[("service", "api"), ("peer", "dc2")]));
        assert_eq!(
            Route::Failover(q.clone()).href(),
            "/failover?service=api&peer=dc2"
        );
        assert_eq!(q.peer, "dc2");
    }

    #[test]
    fn peers_query_round_trips() {
        let q = ListQuery {
            search: "web & co".into(),
            state: Some(PeeringState::Failing),
            descending: true,
            sort: crate::model::peers::list::SortKey::Heartbeat,
            page: 3,
        };
        let href = Route::Peers(q.clone()).href();
        assert_eq!(
            href,
            "/peers?q=web%20%26%20co&state=failing&sort=-heartbeat&page=3"
        );
        let back = parse_peers_query(getter(&[
            ("q", "web & co"),
            ("state", "failing"),
            ("sort", "-heartbeat"),
            ("page", "3"),
        ]));
        assert_eq!(back, q);
        assert_eq!(Route::peers().href(), "/peers");
    }

    #[test]
    fn peer_links_encode_the_name_and_name_the_panel() {
        assert_eq!(Route::peer("dc2").href(), "/peers/dc2");
        assert_eq!(Route::peer("DC 2").href(), "/peers/DC%202");
        let delete = Route::Peer {
            name: "dc2".into(),
            panel: Some(PeerPanel::Delete),
        };
        assert_eq!(delete.href(), "/peers/dc2?action=delete");
        assert_eq!(
            PeerPanel::parse(Some("regenerate")),
            Some(PeerPanel::Regenerate)
        );
        assert_eq!(PeerPanel::parse(Some("<script>")), None);
        assert_eq!(PeerPanel::parse(None), None);
    }

    #[test]
    fn add_peer_exports_and_new_intention_queries() {
        let re = Route::AddPeer(AddPeerQuery {
            establish: true,
            name: "dc2".into(),
        });
        assert_eq!(re.href(), "/peers/new?tab=establish&name=dc2");
        assert_eq!(Route::add_peer().href(), "/peers/new");
        assert_eq!(
            AddPeerQuery::parse(getter(&[("tab", "establish"), ("name", "dc2")])),
            AddPeerQuery {
                establish: true,
                name: "dc2".into()
            }
        );
        let exports = Route::Exports(ExportsQuery {
            service: String::new(),
            peer: "dc2".into(),
        });
        assert_eq!(exports.href(), "/exports?peer=dc2");
        assert_eq!(
            ExportsQuery::parse(getter(&[("peer", "dc2")])),
            ExportsQuery {
                service: String::new(),
                peer: "dc2".into()
            }
        );
        let new = Route::NewIntention {
            peer: "dc2".into(),
            destination: String::new(),
        };
        assert_eq!(new.href(), "/intentions/new?peer=dc2");
        assert_eq!(
            parse_new_intention(getter(&[("peer", "dc2")])),
            ("dc2".to_string(), String::new())
        );
    }
}
