//! The map of peerings (`/map`): this cluster in the middle, each peer around it. Pure: which
//! peers show, in which order, and where, so the same answer always draws the same picture.
//!
//! Rules:
//! - peers are grouped by how they are doing, the unhealthy first: Failing, stale (Active but
//!   not heard from for over 2 minutes), unknown (Active, but no server clock to tell),
//!   Pending or Establishing, Deleting or Terminated, a state this console does not know, then
//!   Active; by name within a group;
//! - about [`COLLAPSED_BUDGET`] peers show at once: groups take their places in that order,
//!   and what does not fit becomes one "and N more …" node that expands the group;
//! - nodes sit on rings around the centre, filled inner ring first, so the unhealthy peers are
//!   nearest the cluster; every two nodes are at least [`SLOT`] apart (no overlaps).
use crate::model::failover::resolver::ResolverView;
use crate::model::peers::freshness::{freshness, Freshness};
use crate::model::peers::peering::{Peering, PeeringState};
use std::collections::{BTreeMap, BTreeSet};
use std::f64::consts::PI;

/// Peers shown before the groups collapse (the rest sit behind "and N more" nodes).
pub const COLLAPSED_BUDGET: usize = 48;
/// The least distance between two node centres: each node's name, state and counts fit in a
/// circle of this diameter around it.
pub const SLOT: f64 = 110.0;
/// The radius of the cluster in the middle.
pub const CENTRE_RADIUS: f64 = 48.0;
/// The first ring's radius, and the distance between rings.
const FIRST_RING: f64 = 160.0;
const RING_GAP: f64 = SLOT;

/// How a peer is doing, as the map groups it; the order is the display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MapGroup {
    Failing,
    Stale,
    /// Active and heard from, but there was no server clock to tell how long ago.
    Unknown,
    Pending,
    Ending,
    Other,
    Active,
}

impl MapGroup {
    pub const ALL: [MapGroup; 7] = [
        Self::Failing,
        Self::Stale,
        Self::Unknown,
        Self::Pending,
        Self::Ending,
        Self::Other,
        Self::Active,
    ];

    pub fn of(state: PeeringState, stale: bool) -> Self {
        match state {
            PeeringState::Failing => Self::Failing,
            PeeringState::Active if stale => Self::Stale,
            PeeringState::Active => Self::Active,
            PeeringState::Pending | PeeringState::Establishing => Self::Pending,
            PeeringState::Deleting | PeeringState::Terminated => Self::Ending,
            PeeringState::Undefined(_) => Self::Other,
        }
    }

    /// The group in "and 150 more Active".
    pub fn label(self) -> &'static str {
        match self {
            Self::Failing => "Failing",
            Self::Stale => "Stale",
            Self::Unknown => "Unknown (no server clock)",
            Self::Pending => "Pending or Establishing",
            Self::Ending => "Deleting or Terminated",
            Self::Other => "in other states",
            Self::Active => "Active",
        }
    }

    /// A CSS class: the stroke pattern and colour of the group's nodes.
    pub fn class(self) -> &'static str {
        match self {
            Self::Failing => "failing",
            Self::Stale => "stale",
            Self::Unknown => "unknown",
            Self::Pending => "pending",
            Self::Ending => "ending",
            Self::Other => "other",
            Self::Active => "active",
        }
    }
}

/// One peer as the map and its table show it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MapPeer {
    pub name: String,
    pub state: PeeringState,
    /// Active, but nothing received for longer than Consul's timeout.
    pub stale: bool,
    /// Active and heard from, but with no server clock it cannot be told how long ago.
    pub unknown: bool,
    pub imported: usize,
    pub exported: usize,
    /// `LastHeartbeat` (else `LastReceive`) as Consul sent it, when set.
    pub heartbeat: Option<String>,
    /// Local services that fail over (or redirect) to this peer, by name.
    pub failover: Vec<String>,
}

impl MapPeer {
    pub fn group(&self) -> MapGroup {
        match MapGroup::of(self.state, self.stale) {
            MapGroup::Active if self.unknown => MapGroup::Unknown,
            group => group,
        }
    }

    /// The state in words, never colour alone: "Active", "Stale", "Unknown", "Establishing"…
    pub fn state_word(&self) -> String {
        match self.group() {
            MapGroup::Stale => "Stale".to_string(),
            MapGroup::Unknown => "Unknown".to_string(),
            _ => self.state.badge(),
        }
    }

    /// The node's accessible name: "dc2, Active, 2 imported, 1 exported, failover from api".
    pub fn describe(&self) -> String {
        let state = match self.group() {
            MapGroup::Unknown => {
                "Active, but cannot tell if still heard from (no server clock)".to_string()
            }
            _ => self.state_word(),
        };
        let mut text = format!(
            "{}, {}, {} imported, {} exported",
            self.name, state, self.imported, self.exported
        );
        if !self.failover.is_empty() {
            text.push_str(&format!(", failover from {}", self.failover.join(", ")));
        }
        text
    }
}

/// Local services that send callers to each peer: failover targets (any subset) and redirects
/// ("api (redirect)"), sorted and without repeats.
pub fn failover_by_peer(resolvers: &[ResolverView]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in resolvers {
        for target in r.failover.iter().flat_map(|f| f.targets.iter()) {
            if !target.peer.is_empty() {
                out.entry(target.peer.clone())
                    .or_default()
                    .insert(r.service.clone());
            }
        }
        if let Some((peer, _)) = r.redirect.as_ref().filter(|(p, _)| !p.is_empty()) {
            out.entry(peer.clone())
                .or_default()
                .insert(format!("{} (redirect)", r.service));
        }
    }
    out.into_iter()
        .map(|(peer, services)| (peer, services.into_iter().collect()))
        .collect()
}

/// The peers in map order (group, then name), with what the map shows of each.
pub fn map_peers(
    peerings: &[Peering],
    server_now: Option<i64>,
    resolvers: &[ResolverView],
) -> Vec<MapPeer> {
    let failover = failover_by_peer(resolvers);
    let mut peers: Vec<MapPeer> = peerings
        .iter()
        .map(|p| {
            let stream = p.stream_status.as_ref();
            let fresh = freshness(p, server_now);
            MapPeer {
                name: p.name.clone(),
                state: p.state,
                stale: matches!(fresh, Freshness::Stale { .. }),
                unknown: fresh == Freshness::Unknown,
                imported: p.imported_count(),
                exported: p.exported_count(),
                heartbeat: stream
                    .and_then(|s| s.last_heartbeat.clone().or_else(|| s.last_receive.clone())),
                failover: failover.get(&p.name).cloned().unwrap_or_default(),
            }
        })
        .collect();
    peers.sort_by(|a, b| (a.group(), &a.name).cmp(&(b.group(), &b.name)));
    peers
}

/// What sits at one place of the map.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A peer: its index in the `map_peers` list.
    Peer(usize),
    /// "and N more …": expands the group.
    More { group: MapGroup, hidden: usize },
    /// Collapses an expanded group again.
    Fewer { group: MapGroup },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub x: f64,
    pub y: f64,
}

/// Where everything goes. The picture spans `-extent..extent` on both axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub nodes: Vec<Node>,
    pub extent: f64,
    /// Peers behind "and N more" nodes.
    pub hidden: usize,
}

/// What shows, in order, before any position: peers, "more" and "fewer" nodes, and `None` for
/// the empty place that separates two groups.
pub fn visible(peers: &[MapPeer], expanded: &BTreeSet<MapGroup>) -> Vec<Option<NodeKind>> {
    let mut out = Vec::new();
    let mut used = 0usize;
    for group in MapGroup::ALL {
        let members: Vec<usize> = (0..peers.len())
            .filter(|&i| peers[i].group() == group)
            .collect();
        if members.is_empty() {
            continue;
        }
        let open = expanded.contains(&group);
        let room = COLLAPSED_BUDGET.saturating_sub(used);
        // One hidden peer would take the place of its own "more" node: show it instead.
        let shown = if open || members.len() <= room + 1 {
            members.len()
        } else {
            room
        };
        if !out.is_empty() {
            out.push(None);
        }
        out.extend(members[..shown].iter().map(|&i| Some(NodeKind::Peer(i))));
        used += shown;
        if shown < members.len() {
            out.push(Some(NodeKind::More {
                group,
                hidden: members.len() - shown,
            }));
        } else if open && members.len() > room + 1 {
            out.push(Some(NodeKind::Fewer { group }));
        }
    }
    // A trailing gap would only waste a place.
    while out.last() == Some(&None) {
        out.pop();
    }
    out
}

/// How many places a ring of `radius` holds with neighbours at least `SLOT` apart.
fn ring_capacity(radius: f64) -> usize {
    let half = (SLOT / 2.0 / radius).min(1.0);
    ((PI / half.asin()).floor() as usize).max(1)
}

/// How many rings `places` places take.
fn rings_for(places: usize) -> usize {
    let (mut rings, mut left, mut radius) = (0, places, FIRST_RING);
    while left > 0 {
        left = left.saturating_sub(ring_capacity(radius));
        radius += RING_GAP;
        rings += 1;
    }
    rings
}

/// Positions: places fill the inner ring first, clockwise from the top; the outermost ring's
/// places spread evenly around it. Each outer ring is turned by a fraction of its step (the
/// golden ratio's), so its nodes do not sit right behind the inner ones, on their links.
pub fn layout(peers: &[MapPeer], expanded: &BTreeSet<MapGroup>) -> Layout {
    let mut places = visible(peers, expanded);
    // The gaps between groups are worth a place, not a ring.
    let without_gaps = places.iter().filter(|p| p.is_some()).count();
    if rings_for(places.len()) > rings_for(without_gaps) {
        places.retain(Option::is_some);
    }
    let hidden = places
        .iter()
        .map(|p| match p {
            Some(NodeKind::More { hidden, .. }) => *hidden,
            _ => 0,
        })
        .sum();
    let mut nodes = Vec::with_capacity(places.len());
    let mut radius = FIRST_RING;
    let mut rest = places.as_slice();
    let mut ring = 0usize;
    while !rest.is_empty() {
        let take = ring_capacity(radius).min(rest.len());
        let (on_ring, after) = rest.split_at(take);
        let step = 2.0 * PI / take as f64;
        let turn = (ring as f64 * 0.618_034).fract() * step;
        for (i, place) in on_ring.iter().enumerate() {
            if let Some(kind) = place {
                let angle = -PI / 2.0 + turn + step * i as f64;
                nodes.push(Node {
                    kind: kind.clone(),
                    x: radius * angle.cos(),
                    y: radius * angle.sin(),
                });
            }
        }
        rest = after;
        if !rest.is_empty() {
            radius += RING_GAP;
            ring += 1;
        }
    }
    let extent = if nodes.is_empty() {
        CENTRE_RADIUS + 20.0
    } else {
        radius + SLOT / 2.0 + 10.0
    };
    Layout {
        nodes,
        extent,
        hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::failover::resolver::view_of;

    fn peer(name: &str, state: PeeringState, stale: bool) -> MapPeer {
        MapPeer {
            name: name.into(),
            state,
            stale,
            unknown: false,
            imported: 0,
            exported: 0,
            heartbeat: None,
            failover: Vec::new(),
        }
    }

    fn names(peers: &[MapPeer], places: &[Option<NodeKind>]) -> Vec<String> {
        places
            .iter()
            .map(|p| match p {
                Some(NodeKind::Peer(i)) => peers[*i].name.clone(),
                Some(NodeKind::More { group, hidden }) => format!("+{hidden} {}", group.label()),
                Some(NodeKind::Fewer { group }) => format!("- {}", group.label()),
                None => "|".into(),
            })
            .collect()
    }

    fn peerings(json: serde_json::Value) -> Vec<Peering> {
        serde_json::from_value(json).expect("fixture")
    }

    /// `n` Active peers, then the list in map order.
    fn active(n: usize) -> Vec<MapPeer> {
        (0..n)
            .map(|i| peer(&format!("peer-{i:04}"), PeeringState::Active, false))
            .collect()
    }

    #[test]
    fn unhealthy_groups_come_first_and_names_order_each_group() {
        let list = peerings(serde_json::json!([
            {"Name": "zeta", "State": "ACTIVE", "StreamStatus": {"LastHeartbeat": "2026-11-27T09:09:55Z"}},
            {"Name": "alpha", "State": "ACTIVE", "StreamStatus": {"LastHeartbeat": "2026-11-27T09:09:55Z"}},
            {"Name": "old", "State": "ACTIVE", "StreamStatus": {"LastHeartbeat": "2026-11-27T09:00:00Z"}},
            {"Name": "gone", "State": "TERMINATED"},
            {"Name": "new", "State": "ESTABLISHING"},
            {"Name": "bad", "State": "FAILING"},
            {"Name": "await", "State": "PENDING"},
            {"Name": "odd", "State": "SOMETHING_NEW"},
            {"Name": "bye", "State": "DELETING"}
        ]));
        let now = crate::model::peers::freshness::parse_http_date("Fri, 27 Nov 2026 09:10:00 GMT");
        let peers = map_peers(&list, now, &[]);
        let order: Vec<&str> = peers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            order,
            ["bad", "old", "await", "new", "bye", "gone", "odd", "alpha", "zeta"]
        );
        assert_eq!(peers[1].state_word(), "Stale");
        assert_eq!(peers[6].state_word(), "SOMETHING_NEW");
        // Groups are separated by an empty place.
        let places = visible(&peers, &BTreeSet::new());
        assert_eq!(
            names(&peers, &places),
            [
                "bad", "|", "old", "|", "await", "new", "|", "bye", "gone", "|", "odd", "|",
                "alpha", "zeta"
            ]
        );
    }

    #[test]
    fn without_a_server_clock_active_peers_are_unknown_never_active() {
        let list = peerings(serde_json::json!([
            {"Name": "old", "State": "ACTIVE", "StreamStatus": {"LastHeartbeat": "2026-11-27T09:00:00Z"}},
            {"Name": "quiet", "State": "ACTIVE"},
            {"Name": "bad", "State": "FAILING"}
        ]));
        let peers = map_peers(&list, None, &[]);
        let seen: Vec<(&str, MapGroup, String)> = peers
            .iter()
            .map(|p| (p.name.as_str(), p.group(), p.state_word()))
            .collect();
        assert_eq!(
            seen,
            [
                ("bad", MapGroup::Failing, "Failing".to_string()),
                ("old", MapGroup::Unknown, "Unknown".to_string()),
                ("quiet", MapGroup::Active, "Active".to_string()),
            ]
        );
        assert!(
            peers[1].describe().contains("cannot tell"),
            "{}",
            peers[1].describe()
        );
    }

    #[test]
    fn a_large_group_collapses_into_one_node_that_expands() {
        // 200 peers: 10 Failing, 190 Active.
        let mut peers: Vec<MapPeer> = (0..10)
            .map(|i| peer(&format!("bad-{i:02}"), PeeringState::Failing, false))
            .collect();
        peers.extend(active(190));
        let places = visible(&peers, &BTreeSet::new());
        let shown = names(&peers, &places);
        assert_eq!(shown.len(), 10 + 1 + (COLLAPSED_BUDGET - 10) + 1);
        assert_eq!(shown[0], "bad-00");
        assert_eq!(shown[11], "peer-0000");
        assert_eq!(shown.last().map(String::as_str), Some("+152 Active"));

        let layout = layout(&peers, &BTreeSet::new());
        assert_eq!(layout.hidden, 152);

        let open = BTreeSet::from([MapGroup::Active]);
        let places = visible(&peers, &open);
        let shown = names(&peers, &places);
        assert_eq!(shown.len(), 10 + 1 + 190 + 1);
        assert_eq!(shown.last().map(String::as_str), Some("- Active"));
        assert_eq!(layout_of(&peers, &open).hidden, 0);
    }

    fn layout_of(peers: &[MapPeer], open: &BTreeSet<MapGroup>) -> Layout {
        layout(peers, open)
    }

    #[test]
    fn unhealthy_groups_take_the_places_first() {
        let mut peers: Vec<MapPeer> = (0..60)
            .map(|i| peer(&format!("bad-{i:02}"), PeeringState::Failing, false))
            .collect();
        peers.extend((0..5).map(|i| peer(&format!("new-{i}"), PeeringState::Pending, false)));
        peers.extend(active(3));
        let shown = names(&peers, &visible(&peers, &BTreeSet::new()));
        let tail: Vec<&str> = shown.iter().rev().take(5).map(String::as_str).collect();
        assert_eq!(
            tail,
            [
                "+3 Active",
                "|",
                "+5 Pending or Establishing",
                "|",
                "+12 Failing"
            ]
        );
        // Expanding a later group leaves the earlier ones as they were.
        let open = BTreeSet::from([MapGroup::Active]);
        let expanded = names(&peers, &visible(&peers, &open));
        assert!(expanded.contains(&"+12 Failing".to_string()));
        assert!(expanded.contains(&"peer-0002".to_string()));
        assert_eq!(expanded.last().map(String::as_str), Some("- Active"));
    }

    #[test]
    fn one_hidden_peer_is_shown_instead_of_a_more_node() {
        let peers = active(COLLAPSED_BUDGET + 1);
        let shown = names(&peers, &visible(&peers, &BTreeSet::new()));
        assert_eq!(shown.len(), COLLAPSED_BUDGET + 1);
        assert!(shown.iter().all(|n| !n.starts_with('+')));
        let peers = active(COLLAPSED_BUDGET + 2);
        let shown = names(&peers, &visible(&peers, &BTreeSet::new()));
        assert_eq!(shown.last().map(String::as_str), Some("+2 Active"));
    }

    #[test]
    fn positions_are_stable_across_polls() {
        let now = crate::model::peers::freshness::parse_http_date("Fri, 27 Nov 2026 09:10:00 GMT");
        let poll = |order: &[usize], heartbeat: &str, imported: usize| {
            let all = ["dc2", "dc3", "east", "west", "north"];
            let list: Vec<serde_json::Value> = order
                .iter()
                .map(|&i| {
                    let services: Vec<String> = (0..imported).map(|k| format!("s{k}")).collect();
                    serde_json::json!({"Name": all[i], "State": if i == 3 { "FAILING" } else { "ACTIVE" },
                        "StreamStatus": {"LastHeartbeat": heartbeat, "ImportedServices": services}})
                })
                .collect();
            let peers = map_peers(&peerings(serde_json::Value::Array(list)), now, &[]);
            let layout = layout(&peers, &BTreeSet::new());
            let mut at: Vec<(String, i64, i64)> = layout
                .nodes
                .iter()
                .filter_map(|n| match n.kind {
                    NodeKind::Peer(i) => Some((
                        peers[i].name.clone(),
                        n.x.round() as i64,
                        n.y.round() as i64,
                    )),
                    _ => None,
                })
                .collect();
            at.sort();
            at
        };
        let first = poll(&[0, 1, 2, 3, 4], "2026-11-27T09:09:50Z", 1);
        // Consul's order, heartbeats and counts change between polls; the picture does not.
        let second = poll(&[4, 2, 0, 3, 1], "2026-11-27T09:09:58Z", 3);
        assert_eq!(first, second);
        assert_eq!(first.len(), 5);
    }

    #[test]
    fn the_first_peer_sits_at_the_top() {
        let peers = active(1);
        let l = layout(&peers, &BTreeSet::new());
        assert_eq!(l.nodes.len(), 1);
        assert!(l.nodes[0].x.abs() < 1e-9);
        assert!(l.nodes[0].y < 0.0);
        assert!(l.extent > l.nodes[0].y.abs() + SLOT / 2.0);
        assert_eq!(layout(&[], &BTreeSet::new()).nodes, Vec::new());
    }

    #[test]
    fn gaps_between_groups_never_cost_a_ring() {
        // 7 peers in 5 groups fit the first ring (8 places) only without the 4 gaps.
        let peers = vec![
            peer("a", PeeringState::Failing, false),
            peer("b", PeeringState::Active, true),
            peer("c", PeeringState::Pending, false),
            peer("d", PeeringState::Establishing, false),
            peer("e", PeeringState::Terminated, false),
            peer("f", PeeringState::Active, false),
            peer("g", PeeringState::Active, false),
        ];
        assert_eq!(visible(&peers, &BTreeSet::new()).len(), 11);
        let l = layout(&peers, &BTreeSet::new());
        assert_eq!(l.nodes.len(), 7);
        assert!(l
            .nodes
            .iter()
            .all(|n| (n.x.hypot(n.y) - FIRST_RING).abs() < 1e-6));
        // 3 peers in 2 groups keep their gap.
        let few = [peers[0].clone(), peers[5].clone(), peers[6].clone()];
        assert_eq!(visible(&few, &BTreeSet::new()).len(), 4);
    }

    #[test]
    fn no_two_nodes_overlap_up_to_200() {
        let states = [
            PeeringState::Active,
            PeeringState::Failing,
            PeeringState::Pending,
            PeeringState::Terminated,
            PeeringState::Establishing,
        ];
        for n in 1..=200 {
            let peers: Vec<MapPeer> = (0..n)
                .map(|i| peer(&format!("p{i:03}"), states[i % states.len()], i % 7 == 0))
                .collect();
            let mut peers = peers;
            peers.sort_by(|a, b| (a.group(), &a.name).cmp(&(b.group(), &b.name)));
            for open in [BTreeSet::new(), MapGroup::ALL.into_iter().collect()] {
                let l = layout(&peers, &open);
                for (i, a) in l.nodes.iter().enumerate() {
                    assert!(
                        a.x.hypot(a.y) >= CENTRE_RADIUS + SLOT / 2.0,
                        "{n}: node {i} overlaps the cluster"
                    );
                    assert!(
                        a.x.abs() + SLOT / 2.0 <= l.extent && a.y.abs() + SLOT / 2.0 <= l.extent
                    );
                    for b in &l.nodes[i + 1..] {
                        assert!(
                            (a.x - b.x).hypot(a.y - b.y) >= SLOT - 1e-6,
                            "{n} peers: nodes at ({}, {}) and ({}, {}) overlap",
                            a.x,
                            a.y,
                            b.x,
                            b.y
                        );
                    }
                }
                if open.is_empty() {
                    let peers_shown = l
                        .nodes
                        .iter()
                        .filter(|x| matches!(x.kind, NodeKind::Peer(_)))
                        .count();
                    assert!(peers_shown <= COLLAPSED_BUDGET + 1);
                    assert_eq!(peers_shown + l.hidden, n);
                }
            }
        }
    }

    #[test]
    fn failover_targets_and_redirects_name_the_peer() {
        let resolvers = [
            view_of(
                &serde_json::json!({"Kind": "service-resolver", "Name": "api",
                "Failover": {"*": {"Targets": [{"Peer": "dc2"}, {"Peer": "dc3"}]}, "v2": {"Targets": [{"Peer": "dc2"}]}}}),
            ),
            view_of(
                &serde_json::json!({"Kind": "service-resolver", "Name": "web",
                "Redirect": {"Peer": "dc2"}}),
            ),
            view_of(
                &serde_json::json!({"Kind": "service-resolver", "Name": "db",
                "Failover": {"*": {"Targets": [{"Datacenter": "dc9"}]}}}),
            ),
        ];
        let by_peer = failover_by_peer(&resolvers);
        assert_eq!(by_peer["dc2"], ["api", "web (redirect)"]);
        assert_eq!(by_peer["dc3"], ["api"]);
        assert_eq!(by_peer.len(), 2);
        let list = peerings(serde_json::json!([{"Name": "dc2", "State": "ACTIVE",
            "StreamStatus": {"ImportedServices": ["api", "web"], "ExportedServices": ["db"]}}]));
        let peers = map_peers(&list, None, &resolvers);
        assert_eq!(
            peers[0].describe(),
            "dc2, Active, 2 imported, 1 exported, failover from api, web (redirect)"
        );
    }
}
