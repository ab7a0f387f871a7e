//! The console's routes: one enum with each route's parameters and query, written (`href`) and
//! read (`parse`) here and nowhere else, with the router's path patterns, the paths the loader
//! prefetches for and each route's document title. Pure: natively tested. `hooks` is the small
//! leptos side (the router's matcher for these patterns, the typed hook pages read).
//! Where a cluster, partition and namespace will attach: `Scope`, `docs/routes.md`.
pub mod hooks;
mod scope;

pub use scope::Scope;

use crate::model::checks::lines::Fix;
use crate::model::intentions::edit::SourceKey;
use crate::model::peers::list::ListQuery;
use crate::model::peers::name::validate_peer_name;
use crate::url::{decode, encode, parse_query, query};

/// One segment of a route's path pattern: a fixed word or a named parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    Static(&'static str),
    Param(&'static str),
}

/// A route's path pattern, as the router matches it (`hooks`) and as `Route::parse` reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern(pub &'static [Seg]);

/// The router's patterns, in the order it tries them.
pub mod patterns {
    use super::Pattern;
    use super::Seg::{Param as P, Static as S};

    pub const HOME: Pattern = Pattern(&[]);
    pub const PEERS: Pattern = Pattern(&[S("peers")]);
    /// Outside `/peers/…`: every name below `/peers/` is a peering's (Consul's names are
    /// lower-case DNS labels, so a peering may be called `new`).
    pub const ADD_PEER: Pattern = Pattern(&[S("add-peer")]);
    /// A peer's page; its tabs are nested below it (`PeerTab::pattern`).
    pub const PEER: Pattern = Pattern(&[S("peers"), P("name")]);
    pub const WHY_EXPORT: Pattern = Pattern(&[S("peers"), P("name"), S("exported"), P("service")]);
    pub const WHY_IMPORT: Pattern = Pattern(&[S("peers"), P("name"), S("imported"), P("service")]);
    pub const EXPORTS: Pattern = Pattern(&[S("exports")]);
    pub const INTENTIONS: Pattern = Pattern(&[S("intentions")]);
    pub const NEW_INTENTION: Pattern = Pattern(&[S("intentions"), S("new")]);
    pub const EDIT_INTENTION: Pattern = Pattern(&[S("intentions"), P("destination"), S("edit")]);
    pub const GATEWAYS: Pattern = Pattern(&[S("gateways")]);
    pub const FAILOVER: Pattern = Pattern(&[S("failover")]);
    pub const MAP: Pattern = Pattern(&[S("map")]);
    /// A nested route's "no more segments" (the peer page's redirect to its first tab).
    pub const INDEX: Pattern = Pattern(&[]);

    /// The pages whose first request is `/v1/peerings`: `public/loader.js` asks for it early
    /// there (its `PREFETCH_PATHS` must list the same paths; a test reads it).
    pub const PREFETCH: [Pattern; 3] = [HOME, PEERS, MAP];
}

/// The product name that ends every document title.
pub const PRODUCT: &str = "Consul Peering Console";

/// A place in the console. `href()` is relative to the router base (Consul's ContentPath).
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// `/peers?q=&state=&sort=&page=`
    Peers(ListQuery),
    /// `/add-peer[?tab=establish&name=]`
    AddPeer(AddPeerQuery),
    /// `/peers/:name[/<tab>][?action=delete|regenerate]`; without a tab the page replaces
    /// itself with its first tab.
    Peer {
        name: String,
        tab: Option<PeerTab>,
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
    /// `/intentions/:destination/edit?peer=&source=[&source-ns=&source-partition=&sg=]`
    EditIntention { destination: String, key: SourceKey },
    /// `/peers/:name/exported/:service`: "Why can't the peer see my service?"
    WhyExport { peer: String, service: String },
    /// `/peers/:name/imported/:service`: "Why can't my service call theirs?"
    WhyImport { peer: String, service: String },
    /// Any route above whose name (`what`) the console cannot put into an API path safely
    /// (`safe_name`): the page says so and shows the CLI command instead; nothing is requested.
    Unsafe { what: NameKind, name: String },
}

/// Which name of a route was refused, for the CLI command shown instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    Peer,
    Service,
    /// An intention's destination: the name of its `service-intentions` entry.
    Destination,
}

impl NameKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Peer => "peer",
            Self::Service => "service",
            Self::Destination => "intention destination",
        }
    }

    /// The `consul` command that reads the same object, `name` quoted for a POSIX shell.
    pub fn cli(self, name: &str) -> String {
        let quoted = format!("'{}'", name.replace('\'', "'\\''"));
        match self {
            Self::Peer => format!("consul peering read -name {quoted}"),
            Self::Service => format!("consul catalog nodes -service {quoted}"),
            Self::Destination => {
                format!("consul config read -kind service-intentions -name {quoted}")
            }
        }
    }
}

/// Whether a service or config entry name (one decoded path segment) can go into an API path.
/// Go's pre-1.22 `ServeMux` (Consul 1.14–1.19) cleans the *decoded* path and redirects to it, and
/// browsers resolve `.`/`..` segments in any spelling (`%2e%2e` too), so a name is refused when,
/// at any depth of decoding, it is empty, `.` or `..`, or holds `/`, `\\` (a separator to
/// browsers) or a control character.
pub fn safe_name(name: &str) -> bool {
    let mut text = name.to_string();
    // Each round peels one layer of percent-encoding; a name still changing after that many is
    // refused rather than followed further.
    for _ in 0..4 {
        if text.is_empty()
            || text == "."
            || text == ".."
            || text.contains(['/', '\\'])
            || text.chars().any(char::is_control)
        {
            return false;
        }
        let next = decode(&text);
        if next == text {
            return true;
        }
        text = next;
    }
    false
}

/// A peer name by Consul's rule (`model/peers/name.rs`), upper case allowed: Consul 1.14 accepted
/// upper-case peer names, so such peerings may exist and must open.
pub fn safe_peer_name(name: &str) -> bool {
    validate_peer_name(&name.to_ascii_lowercase()).is_ok()
}

/// `Some(Route::Unsafe)` for the first name that is not safe.
fn refuse(names: &[(NameKind, &str)]) -> Option<Route> {
    names.iter().find_map(|(what, name)| {
        let safe = match what {
            NameKind::Peer => safe_peer_name(name),
            NameKind::Service | NameKind::Destination => safe_name(name),
        };
        (!safe).then(|| Route::Unsafe {
            what: *what,
            name: name.to_string(),
        })
    })
}

/// A peer page's tab: the first three keep the paths of Consul's own UI
/// (`/peers/:name/imported-services`, `exported-services`, `addresses`), so an operator's
/// habits and links carry over; the last two are this console's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerTab {
    Imported,
    Exported,
    Addresses,
    Intentions,
    Failover,
}

impl PeerTab {
    /// In the tab bar's order.
    pub const ALL: [PeerTab; 5] = [
        Self::Imported,
        Self::Exported,
        Self::Addresses,
        Self::Intentions,
        Self::Failover,
    ];

    /// The path segment below `/peers/:name`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Imported => "imported-services",
            Self::Exported => "exported-services",
            Self::Addresses => "addresses",
            Self::Intentions => "intentions",
            Self::Failover => "failover",
        }
    }

    /// The nested route's pattern.
    pub fn pattern(self) -> Pattern {
        use Seg::Static as S;
        match self {
            Self::Imported => Pattern(&[S("imported-services")]),
            Self::Exported => Pattern(&[S("exported-services")]),
            Self::Addresses => Pattern(&[S("addresses")]),
            Self::Intentions => Pattern(&[S("intentions")]),
            Self::Failover => Pattern(&[S("failover")]),
        }
    }

    /// The tab's name, in the title (the tab bar adds counts).
    pub fn label(self) -> &'static str {
        match self {
            Self::Imported => "Imported services",
            Self::Exported => "Exported services",
            Self::Addresses => "Server addresses",
            Self::Intentions => "Intentions",
            Self::Failover => "Failover",
        }
    }

    fn from_segment(segment: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.segment() == segment)
    }
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

fn non_empty(value: &str) -> Option<&str> {
    (!value.is_empty()).then_some(value)
}

/// A query string's values by key (the first of a repeated key).
struct Query(Vec<(String, String)>);

impl Query {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, key: &str) -> String {
        self.get(key).unwrap_or_default().to_string()
    }
}

/// The parameters of `path` (decoded segments) when it matches `parts` one after the other.
fn matches(parts: &[Pattern], path: &[String]) -> Option<Vec<(&'static str, String)>> {
    let mut segments = path.iter();
    let mut params = Vec::new();
    for seg in parts.iter().flat_map(|p| p.0) {
        let value = segments.next()?;
        match seg {
            Seg::Static(word) if value == word => {}
            Seg::Static(_) => return None,
            Seg::Param(name) => params.push((*name, value.clone())),
        }
    }
    segments.next().is_none().then_some(params)
}

fn param(params: &[(&'static str, String)], name: &str) -> String {
    params
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

impl Route {
    pub fn peers() -> Self {
        Self::Peers(ListQuery {
            page: 1,
            ..ListQuery::default()
        })
    }

    /// A peer's page on its first tab.
    pub fn peer(name: &str) -> Self {
        Self::peer_tab(name, PeerTab::Imported)
    }

    pub fn peer_tab(name: &str, tab: PeerTab) -> Self {
        Self::Peer {
            name: name.to_string(),
            tab: Some(tab),
            panel: None,
        }
    }

    /// A peer's page with a panel open (the list's row actions).
    pub fn peer_panel(name: &str, panel: PeerPanel) -> Self {
        Self::Peer {
            name: name.to_string(),
            tab: Some(PeerTab::Imported),
            panel: Some(panel),
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

    /// The path and query, e.g. `/peers/dc2/imported-services?action=delete`.
    pub fn href(&self) -> String {
        self.href_in(&Scope::default())
    }

    /// The path and query within a scope: `/c/:cluster` before the path, `partition` and `ns`
    /// after the route's own query (`docs/routes.md`).
    pub fn href_in(&self, scope: &Scope) -> String {
        let (path, mut pairs) = self.parts();
        let prefix = scope.prefix();
        pairs.extend(scope.query_pairs());
        let pairs: Vec<(&str, Option<&str>)> =
            pairs.iter().map(|(k, v)| (*k, v.as_deref())).collect();
        format!("{prefix}{path}{}", query(&pairs))
    }

    /// The route at `href` (a path relative to the router base, with its query), whatever
    /// scope it names; `None` for a path the console does not know.
    pub fn parse(href: &str) -> Option<Self> {
        Self::parse_scoped(href).map(|(_, route)| route)
    }

    /// The scope and the route at `href`.
    pub fn parse_scoped(href: &str) -> Option<(Scope, Self)> {
        let (path, search) = href.split_once('?').unwrap_or((href, ""));
        let path = path.split('#').next().unwrap_or_default();
        let search = search.split('#').next().unwrap_or_default();
        let segments: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        let q = Query(parse_query(search));
        let (scope, segments) = Scope::read(&segments, |k| q.text(k));
        Some((scope, Self::read(segments, &q)?))
    }

    fn read(path: &[String], q: &Query) -> Option<Self> {
        use patterns::*;
        let is = |pattern: Pattern| matches(&[pattern], path);
        let service_peer = || ServicePeerQuery {
            service: q.text("service"),
            peer: q.text("peer"),
        };
        if is(HOME).is_some() || is(PEERS).is_some() {
            let list = ListQuery::from_params(q.get("q"), q.get("state"), q.get("sort"));
            return Some(Self::Peers(list.with_page(q.get("page"))));
        }
        if is(ADD_PEER).is_some() {
            return Some(Self::AddPeer(AddPeerQuery {
                establish: q.get("tab") == Some("establish"),
                name: q.text("name"),
            }));
        }
        let panel = PeerPanel::parse(q.get("action"));
        if let Some(p) = is(PEER) {
            let name = param(&p, "name");
            return refuse(&[(NameKind::Peer, &name)]).or(Some(Self::Peer {
                name,
                tab: None,
                panel,
            }));
        }
        if let (Some(p), Some(tab)) = (
            matches(&[PEER, Pattern(&[Seg::Param("tab")])], path),
            path.get(2).and_then(|s| PeerTab::from_segment(s)),
        ) {
            let name = param(&p, "name");
            return refuse(&[(NameKind::Peer, &name)]).or(Some(Self::Peer {
                name,
                tab: Some(tab),
                panel,
            }));
        }
        let why = |pattern| is(pattern).map(|p| (param(&p, "name"), param(&p, "service")));
        let why_refused = |peer: &str, service: &str| {
            refuse(&[(NameKind::Peer, peer), (NameKind::Service, service)])
        };
        if let Some((peer, service)) = why(WHY_EXPORT) {
            return why_refused(&peer, &service).or(Some(Self::WhyExport { peer, service }));
        }
        if let Some((peer, service)) = why(WHY_IMPORT) {
            return why_refused(&peer, &service).or(Some(Self::WhyImport { peer, service }));
        }
        if is(EXPORTS).is_some() {
            return Some(Self::Exports(service_peer()));
        }
        if is(FAILOVER).is_some() {
            return Some(Self::Failover(service_peer()));
        }
        if is(INTENTIONS).is_some() {
            return Some(Self::Intentions);
        }
        if is(GATEWAYS).is_some() {
            return Some(Self::Gateways);
        }
        if is(MAP).is_some() {
            return Some(Self::Map);
        }
        if is(NEW_INTENTION).is_some() {
            return Some(Self::NewIntention {
                peer: q.text("peer"),
                destination: q.text("destination"),
            });
        }
        if let Some(p) = is(EDIT_INTENTION) {
            let destination = param(&p, "destination");
            if let Some(refused) = refuse(&[(NameKind::Destination, &destination)]) {
                return Some(refused);
            }
            return Some(Self::EditIntention {
                destination,
                key: SourceKey {
                    name: q.text("source"),
                    peer: q.text("peer"),
                    namespace: q.text("source-ns"),
                    partition: q.text("source-partition"),
                    sameness_group: q.text("sg"),
                },
            });
        }
        None
    }

    /// The path (encoded) and the query's pairs, without scope.
    fn parts(&self) -> (String, Vec<(&'static str, Option<String>)>) {
        let some = |v: &str| non_empty(v).map(str::to_string);
        match self {
            Self::Peers(q) => (
                "/peers".into(),
                vec![
                    ("q", some(&q.search)),
                    ("state", q.state.map(|s| s.label().to_lowercase())),
                    ("sort", q.sort_param()),
                    ("page", (q.page > 1).then(|| q.page.to_string())),
                ],
            ),
            Self::AddPeer(q) => (
                "/add-peer".into(),
                vec![
                    ("tab", q.establish.then(|| "establish".to_string())),
                    ("name", some(&q.name)),
                ],
            ),
            Self::Peer { name, tab, panel } => (
                match tab {
                    Some(tab) => format!("/peers/{}/{}", encode(name), tab.segment()),
                    None => format!("/peers/{}", encode(name)),
                },
                vec![("action", panel.map(|p| p.as_str().to_string()))],
            ),
            Self::Exports(q) => (
                "/exports".into(),
                vec![("service", some(&q.service)), ("peer", some(&q.peer))],
            ),
            Self::Intentions => ("/intentions".into(), Vec::new()),
            Self::Gateways => ("/gateways".into(), Vec::new()),
            Self::Map => ("/map".into(), Vec::new()),
            Self::Failover(q) => (
                "/failover".into(),
                vec![("service", some(&q.service)), ("peer", some(&q.peer))],
            ),
            Self::NewIntention { peer, destination } => (
                "/intentions/new".into(),
                vec![("peer", some(peer)), ("destination", some(destination))],
            ),
            Self::EditIntention { destination, key } => (
                format!("/intentions/{}/edit", encode(destination)),
                vec![
                    ("peer", Some(key.peer.clone())),
                    ("source", Some(key.name.clone())),
                    ("source-ns", some(&key.namespace)),
                    ("source-partition", some(&key.partition)),
                    ("sg", some(&key.sameness_group)),
                ],
            ),
            Self::WhyExport { peer, service } => (
                format!("/peers/{}/exported/{}", encode(peer), encode(service)),
                Vec::new(),
            ),
            Self::WhyImport { peer, service } => (
                format!("/peers/{}/imported/{}", encode(peer), encode(service)),
                Vec::new(),
            ),
            // Never linked to: the console does not write such a URL; the list is the way back.
            Self::Unsafe { .. } => ("/peers".into(), Vec::new()),
        }
    }

    /// The document title: the object the page is about first, then where it sits, then the
    /// product, e.g. "dc2 · Imported services · Peers · Consul Peering Console".
    pub fn title(&self) -> String {
        let parts: Vec<String> = match self {
            Self::Peers(_) => vec!["Peers".into()],
            Self::AddPeer(_) => vec!["Add peer connection".into(), "Peers".into()],
            Self::Peer { name, tab, .. } => {
                let mut parts = vec![name.clone()];
                parts.extend(tab.map(|t| t.label().to_string()));
                parts.push("Peers".into());
                parts
            }
            Self::Exports(_) => vec!["Exports".into()],
            Self::Intentions => vec!["Intentions".into()],
            Self::Gateways => vec!["Gateways".into()],
            Self::Map => vec!["Map".into()],
            Self::Failover(_) => vec!["Failover".into()],
            Self::NewIntention { .. } => vec!["New intention".into(), "Intentions".into()],
            Self::EditIntention { destination, key } => vec![
                format!("{} → {destination}", key.label()),
                "Edit intention".into(),
                "Intentions".into(),
            ],
            Self::WhyExport { peer, service } => vec![
                format!("{service} ({peer})"),
                format!("Can {peer} see it?"),
                "Peers".into(),
            ],
            Self::WhyImport { peer, service } => vec![
                format!("{service} ({peer})"),
                "Can this cluster call it?".into(),
                "Peers".into(),
            ],
            Self::Unsafe { .. } => vec!["Cannot open this name safely".into()],
        };
        titled(parts)
    }
}

/// The title of any location: a route's, or "Page not found" for a path the console does not
/// know.
pub fn title_of(route: Option<&Route>) -> String {
    match route {
        Some(route) => route.title(),
        None => titled(vec!["Page not found".into()]),
    }
}

fn titled(mut parts: Vec<String>) -> String {
    parts.push(PRODUCT.into());
    parts.join(" · ")
}

/// The paths below the router base where the loader asks for `/v1/peerings` early, as
/// `public/loader.js` lists them (`""` is the base itself).
pub fn prefetch_paths() -> Vec<String> {
    patterns::PREFETCH
        .iter()
        .map(|p| {
            p.0.iter()
                .map(|s| match s {
                    Seg::Static(word) | Seg::Param(word) => *word,
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// Whether `path` (below the router base, without query) is one of `prefetch_paths`, with or
/// without a trailing slash.
pub fn prefetches_peerings(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    let path = path.strip_suffix('/').unwrap_or(path);
    prefetch_paths().iter().any(|p| p == path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::peers::list::SortKey;
    use crate::model::peers::peering::PeeringState;

    const AWKWARD: [&str; 7] = [
        "dc2",
        "web & co",
        "100%",
        "a?b#c d",
        "日本 ü",
        "+plus",
        "%zz",
    ];

    /// One route of every variant (and every tab and panel): peer names in a path `peer`, every
    /// other name `name`.
    fn every_route(peer: &str, name: &str) -> Vec<Route> {
        let n = || name.to_string();
        let mut all = vec![
            Route::peers(),
            Route::Peers(ListQuery {
                search: n(),
                state: Some(PeeringState::Failing),
                sort: SortKey::Heartbeat,
                descending: true,
                page: 3,
            }),
            Route::add_peer(),
            Route::AddPeer(AddPeerQuery {
                establish: true,
                name: n(),
            }),
            Route::Peer {
                name: peer.to_string(),
                tab: None,
                panel: Some(PeerPanel::Delete),
            },
            Route::peer_panel(peer, PeerPanel::Regenerate),
            Route::exports(),
            Route::Exports(ExportsQuery {
                service: n(),
                peer: n(),
            }),
            Route::Intentions,
            Route::Gateways,
            Route::Map,
            Route::failover(),
            Route::failover_of(name),
            Route::new_intention(name, name),
            Route::EditIntention {
                destination: n(),
                key: SourceKey::peered(name, name),
            },
            Route::EditIntention {
                destination: n(),
                key: SourceKey {
                    namespace: n(),
                    partition: n(),
                    sameness_group: n(),
                    ..SourceKey::local(name)
                },
            },
            Route::WhyExport {
                peer: peer.to_string(),
                service: n(),
            },
            Route::WhyImport {
                peer: peer.to_string(),
                service: n(),
            },
        ];
        all.extend(PeerTab::ALL.map(|tab| Route::peer_tab(peer, tab)));
        all
    }

    #[test]
    fn every_route_reads_back_from_its_href() {
        for peer in ["dc2", "DC-2", "a"] {
            for name in AWKWARD {
                for route in every_route(peer, name) {
                    let href = route.href();
                    assert_eq!(Route::parse(&href), Some(route), "{href}");
                }
            }
        }
        // A query value is never put into a path: `/` and `..` read back there.
        for text in ["a/b", "..", "%2F"] {
            let route = Route::Exports(ExportsQuery {
                service: text.into(),
                peer: text.into(),
            });
            assert_eq!(Route::parse(&route.href()), Some(route));
        }
    }

    #[test]
    fn names_that_cannot_go_into_an_api_path_are_refused() {
        for bad in [
            ".",
            "..",
            "%2e",
            ".%2E",
            "%2e%2e",
            "%2E%2e",
            "%252e%252e",
            "..%2F..%2Facl",
            "..%252F..%252Facl%252Ftokens",
            "a%2Fb",
            "a%5Cb",
            "a%00b",
            "a%0Ab",
            "%7F",
            "%",
        ] {
            // `%` alone is fine (`100%` reads back above); an empty name is not.
            if bad == "%" {
                assert!(safe_name(bad));
                assert!(!safe_name(""));
                continue;
            }
            let segment = crate::url::decode(bad);
            assert!(!safe_name(&segment), "{bad}");
            for (href, what) in [
                (format!("/peers/dc2/exported/{bad}"), NameKind::Service),
                (format!("/peers/dc2/imported/{bad}"), NameKind::Service),
                (
                    format!("/intentions/{bad}/edit?peer=dc2&source=web"),
                    NameKind::Destination,
                ),
                (format!("/peers/{bad}"), NameKind::Peer),
                (format!("/peers/{bad}/exported-services"), NameKind::Peer),
                (format!("/peers/{bad}/exported/web"), NameKind::Peer),
            ] {
                assert_eq!(
                    Route::parse(&href),
                    Some(Route::Unsafe {
                        what,
                        name: segment.clone()
                    }),
                    "{href}"
                );
            }
        }
        // The peer is checked first, by Consul's rule; upper case opens (Consul 1.14 allowed it).
        assert_eq!(
            Route::parse("/peers/..%252Fsnapshot/exported/web"),
            Some(Route::Unsafe {
                what: NameKind::Peer,
                name: "..%2Fsnapshot".into()
            })
        );
        assert_eq!(
            Route::parse("/peers/DC2/exported-services"),
            Some(Route::peer_tab("DC2", PeerTab::Exported))
        );
        for bad_peer in ["web & co", "dc_2", "-dc2", "dc2.x"] {
            assert!(!safe_peer_name(bad_peer), "{bad_peer}");
        }
        assert_eq!(
            NameKind::Destination.cli("it's"),
            "consul config read -kind service-intentions -name 'it'\\''s'"
        );
        assert_eq!(
            Route::parse("/peers/..%252Fconfig%252Fproxy-defaults%252Fglobal?action=delete")
                .map(|r| r.title()),
            Some("Cannot open this name safely · Consul Peering Console".into())
        );
    }

    #[test]
    fn every_route_reads_back_within_any_scope() {
        let scopes = AWKWARD.map(|name| Scope {
            cluster: name.to_string(),
            partition: name.to_string(),
            namespace: name.to_string(),
        });
        let only_cluster = Scope {
            cluster: "east".into(),
            ..Scope::default()
        };
        for scope in scopes.iter().chain([&only_cluster, &Scope::default()]) {
            for route in every_route("dc2", "web") {
                let href = route.href_in(scope);
                assert_eq!(
                    Route::parse_scoped(&href),
                    Some((scope.clone(), route.clone())),
                    "{href}"
                );
            }
        }
        assert_eq!(
            Route::peer("dc2").href_in(&Scope {
                cluster: "east".into(),
                partition: "p1".into(),
                namespace: "team a".into()
            }),
            "/c/east/peers/dc2/imported-services?partition=p1&ns=team%20a"
        );
        assert_eq!(
            Route::failover_of("api").href_in(&Scope {
                namespace: "ns1".into(),
                ..Scope::default()
            }),
            "/failover?service=api&ns=ns1"
        );
        // No scope, no trace of it: today's URLs.
        assert_eq!(Route::peers().href_in(&Scope::default()), "/peers");
    }

    #[test]
    fn hrefs_encode_names_and_leave_out_defaults() {
        assert_eq!(Route::peers().href(), "/peers");
        assert_eq!(Route::Map.href(), "/map");
        assert_eq!(
            Route::peer("dc 2").href(),
            "/peers/dc%202/imported-services"
        );
        assert_eq!(
            Route::peer_tab("dc2", PeerTab::Exported).href(),
            "/peers/dc2/exported-services"
        );
        assert_eq!(
            Route::peer_panel("dc2", PeerPanel::Delete).href(),
            "/peers/dc2/imported-services?action=delete"
        );
        assert_eq!(
            Route::WhyExport {
                peer: "dc2".into(),
                service: "my api".into()
            }
            .href(),
            "/peers/dc2/exported/my%20api"
        );
        assert_eq!(
            Route::EditIntention {
                destination: "a b".into(),
                key: SourceKey {
                    namespace: "team a".into(),
                    sameness_group: "sg1".into(),
                    ..SourceKey::local("web")
                }
            }
            .href(),
            "/intentions/a%20b/edit?peer=&source=web&source-ns=team%20a&sg=sg1"
        );
        let peers = Route::Peers(ListQuery {
            search: "web & co".into(),
            state: Some(PeeringState::Failing),
            descending: true,
            sort: SortKey::Heartbeat,
            page: 3,
        });
        assert_eq!(
            peers.href(),
            "/peers?q=web%20%26%20co&state=failing&sort=-heartbeat&page=3"
        );
        assert_eq!(
            Route::AddPeer(AddPeerQuery {
                establish: true,
                name: "dc2".into()
            })
            .href(),
            "/add-peer?tab=establish&name=dc2"
        );
        assert_eq!(
            Route::new_intention("dc2", "").href(),
            "/intentions/new?peer=dc2"
        );
    }

    #[test]
    fn parse_reads_what_browsers_and_people_write() {
        assert_eq!(Route::parse("/"), Some(Route::peers()));
        assert_eq!(Route::parse(""), Some(Route::peers()));
        assert_eq!(Route::parse("/peers/"), Some(Route::peers()));
        assert_eq!(
            Route::parse("/peers/dc2"),
            Some(Route::Peer {
                name: "dc2".into(),
                tab: None,
                panel: None
            })
        );
        assert_eq!(
            Route::parse("/peers/dc2?action=delete#x"),
            Some(Route::Peer {
                name: "dc2".into(),
                tab: None,
                panel: Some(PeerPanel::Delete)
            })
        );
        assert_eq!(
            Route::parse("/peers/dc2/exported-services?action=%3Cscript%3E"),
            Some(Route::peer_tab("dc2", PeerTab::Exported))
        );
        // A `+` in a query is a space, as a form writes it.
        assert_eq!(
            Route::parse("/exports?service=my+api"),
            Some(Route::Exports(ExportsQuery {
                service: "my api".into(),
                peer: String::new()
            }))
        );
        assert_eq!(Route::parse("/add-peer"), Some(Route::add_peer()));
        // A peering may be called `new`: its page, not the add page.
        assert_eq!(
            Route::parse("/peers/new/imported-services"),
            Some(Route::peer("new"))
        );
        assert_eq!(
            Route::parse("/peers?page=0&state=bogus"),
            Some(Route::peers())
        );
        for unknown in [
            "/nope",
            "/peers/dc2/unknown-tab",
            "/peers/dc2/exported",
            "/peers/dc2/exported/web/more",
            "/intentions/web",
            "/mapx",
        ] {
            assert_eq!(Route::parse(unknown), None, "{unknown}");
        }
        // A cluster's own home is its peers list, as `/` is.
        assert_eq!(Route::parse("/c/east"), Some(Route::peers()));
        assert_eq!(
            Route::parse_scoped("/c/east/map?ns=n1"),
            Some((
                Scope {
                    cluster: "east".into(),
                    namespace: "n1".into(),
                    ..Scope::default()
                },
                Route::Map
            ))
        );
    }

    #[test]
    fn fixes_link_to_their_pages() {
        let fix = |f: Fix| Route::of_fix(&f).href();
        assert_eq!(
            fix(Fix::Export {
                service: "web".into(),
                peer: "dc2".into()
            }),
            "/exports?service=web&peer=dc2"
        );
        assert_eq!(fix(Fix::Peer("dc2".into())), "/peers/dc2/imported-services");
        assert_eq!(fix(Fix::AddPeer), "/add-peer");
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
    fn titles_name_the_object_then_where_it_sits() {
        let title = |href: &str| title_of(Route::parse(href).as_ref());
        assert_eq!(title("/peers"), "Peers · Consul Peering Console");
        assert_eq!(title("/peers?q=x"), "Peers · Consul Peering Console");
        assert_eq!(
            title("/add-peer"),
            "Add peer connection · Peers · Consul Peering Console"
        );
        assert_eq!(
            title("/peers/dc2/imported-services"),
            "dc2 · Imported services · Peers · Consul Peering Console"
        );
        assert_eq!(
            title("/peers/dc2/exported-services"),
            "dc2 · Exported services · Peers · Consul Peering Console"
        );
        assert_eq!(
            title("/peers/dc2/addresses"),
            "dc2 · Server addresses · Peers · Consul Peering Console"
        );
        assert_eq!(
            title("/peers/dc2/intentions"),
            "dc2 · Intentions · Peers · Consul Peering Console"
        );
        assert_eq!(
            title("/peers/dc2/failover"),
            "dc2 · Failover · Peers · Consul Peering Console"
        );
        assert_eq!(title("/peers/dc2"), "dc2 · Peers · Consul Peering Console");
        assert_eq!(
            title("/peers/dc2/exported/web"),
            "web (dc2) · Can dc2 see it? · Peers · Consul Peering Console"
        );
        assert_eq!(
            title("/peers/dc1/imported/web"),
            "web (dc1) · Can this cluster call it? · Peers · Consul Peering Console"
        );
        assert_eq!(
            title("/exports?peer=dc2"),
            "Exports · Consul Peering Console"
        );
        assert_eq!(title("/failover"), "Failover · Consul Peering Console");
        assert_eq!(title("/gateways"), "Gateways · Consul Peering Console");
        assert_eq!(title("/map"), "Map · Consul Peering Console");
        assert_eq!(title("/intentions"), "Intentions · Consul Peering Console");
        assert_eq!(
            title("/intentions/new"),
            "New intention · Intentions · Consul Peering Console"
        );
        assert_eq!(
            title("/intentions/api/edit?peer=dc2&source=web"),
            "web (peer dc2) → api · Edit intention · Intentions · Consul Peering Console"
        );
        assert_eq!(title("/nope"), "Page not found · Consul Peering Console");
        // Every route has a title ending in the product's name.
        for route in every_route("x", "x") {
            assert!(route.title().ends_with(" · Consul Peering Console"));
        }
    }

    #[test]
    fn the_loader_prefetches_on_the_same_paths() {
        assert_eq!(prefetch_paths(), ["", "peers", "map"]);
        for path in ["", "/", "peers", "/peers/", "map", "/map/"] {
            assert!(prefetches_peerings(path), "{path}");
        }
        for path in ["/add-peer", "/peers/new", "/mapx", "/exports", "/peers/dc2"] {
            assert!(!prefetches_peerings(path), "{path}");
        }
        // The loader's copy (JavaScript cannot import this module).
        let loader = include_str!("../../public/loader.js");
        let line = loader
            .lines()
            .find(|l| l.starts_with("const PREFETCH_PATHS = ["))
            .expect("public/loader.js declares PREFETCH_PATHS on one line");
        let list = line
            .trim_start_matches("const PREFETCH_PATHS = [")
            .trim_end_matches("];");
        let paths: Vec<&str> = list
            .split(',')
            .map(|p| p.trim().trim_matches('\''))
            .collect();
        assert_eq!(paths, prefetch_paths());
    }
}
