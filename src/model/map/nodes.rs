//! What each node of the map draws, and where its parts go: pure, so the drawing
//! (`pages/map/drawing.rs`) only turns these into SVG.
use super::layout::{layout, MapGroup, MapPeer, NodeKind};
use std::collections::BTreeSet;

/// The radius of a peer's dot.
pub const DOT: f64 = 12.0;
/// How far from a node's centre its counts sit on the link.
pub const COUNTS_AT: f64 = 36.0;

/// One node, with everything it draws (owned, so the keyed list can compare and keep it).
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Changes whenever what the node draws changes, so the node is rebuilt only then and keeps
    /// the keyboard focus across polls otherwise.
    pub key: String,
    pub x: f64,
    pub y: f64,
    pub what: What,
    /// A peer's name as drawn: cut to fit, and unlike every other peer's on the map.
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum What {
    Peer(MapPeer),
    More { group: MapGroup, hidden: usize },
    Fewer { group: MapGroup },
}

impl Item {
    pub fn group(&self) -> MapGroup {
        match &self.what {
            What::Peer(p) => p.group(),
            What::More { group, .. } | What::Fewer { group } => *group,
        }
    }
}

/// A glyph inside the dot, so the state reads without colour.
pub fn glyph(group: MapGroup) -> &'static str {
    match group {
        MapGroup::Active => "✓",
        MapGroup::Failing => "!",
        MapGroup::Stale => "~",
        MapGroup::Unknown => "?",
        MapGroup::Pending => "…",
        MapGroup::Ending => "×",
        MapGroup::Other => "?",
    }
}

/// "↓2 ↑1", and "⇠3" when local services fail over to the peer.
pub fn counts(p: &MapPeer) -> String {
    let mut text = format!("↓{} ↑{}", p.imported, p.exported);
    if !p.failover.is_empty() {
        text.push_str(&format!(" ⇠{}", p.failover.len()));
    }
    text
}

/// Names longer than this (in characters) are cut on the map (the full name is in the link's
/// name and tooltip).
pub const LABEL_MAX: usize = 14;

/// `name` cut to its first `head` and last `tail` characters around "…"; whole when that would
/// not be shorter.
fn cut(name: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= head + tail + 1 {
        return name.to_string();
    }
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// A name cut more gently at each `level`: 0 keeps the start ("prod-east-1-p…"), 1 keeps the
/// distinguishing end too ("prod-east…marx"), higher levels keep more of both.
fn cut_at(name: &str, level: usize) -> String {
    match level {
        0 => cut(name, LABEL_MAX - 1, 0),
        n => cut(name, LABEL_MAX - 5 + 4 * (n - 1), 4 * n),
    }
}

/// One name cut on its own (the cluster in the middle: nothing to tell it apart from).
pub fn short(name: &str) -> String {
    cut_at(name, 0)
}

/// The labels of `names` (distinct, as peer names are), in order: each as short as fits, and
/// no two alike: names whose labels would match are cut more gently until they differ (at
/// worst shown whole).
pub fn labels(names: &[&str]) -> Vec<String> {
    let mut level = vec![0usize; names.len()];
    let mut out: Vec<String> = names.iter().map(|n| cut_at(n, 0)).collect();
    loop {
        let mut seen: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (i, label) in out.iter().enumerate() {
            seen.entry(label.as_str()).or_default().push(i);
        }
        let clashing: Vec<usize> = seen
            .into_values()
            .filter(|same| same.len() > 1)
            .flatten()
            // A name shown whole cannot change; the others in its clash can.
            .filter(|&i| out[i] != names[i])
            .collect();
        if clashing.is_empty() {
            return out;
        }
        for i in clashing {
            level[i] += 1;
            out[i] = cut_at(names[i], level[i]);
        }
    }
}

pub fn items(peers: &[MapPeer], expanded: &BTreeSet<MapGroup>) -> (Vec<Item>, f64) {
    let l = layout(peers, expanded);
    let drawn: Vec<&str> = l
        .nodes
        .iter()
        .filter_map(|n| match n.kind {
            NodeKind::Peer(i) => peers.get(i).map(|p| p.name.as_str()),
            _ => None,
        })
        .collect();
    let mut label_of: std::collections::HashMap<&str, String> =
        drawn.iter().copied().zip(labels(&drawn)).collect();
    let items = l
        .nodes
        .iter()
        .filter_map(|n| {
            let mut label = String::new();
            let (key, what) = match &n.kind {
                NodeKind::Peer(i) => {
                    let p = peers.get(*i)?;
                    label = label_of.remove(p.name.as_str()).unwrap_or_default();
                    let key = format!(
                        "p|{}|{label}|{:.0}|{:.0}|{}|{}|{}|{}",
                        p.name,
                        n.x,
                        n.y,
                        p.state_word(),
                        p.imported,
                        p.exported,
                        p.failover.join(",")
                    );
                    (key, What::Peer(p.clone()))
                }
                NodeKind::More { group, hidden } => (
                    format!("m|{}|{hidden}|{:.0}|{:.0}", group.class(), n.x, n.y),
                    What::More {
                        group: *group,
                        hidden: *hidden,
                    },
                ),
                NodeKind::Fewer { group } => (
                    format!("f|{}|{:.0}|{:.0}", group.class(), n.x, n.y),
                    What::Fewer { group: *group },
                ),
            };
            Some(Item {
                key,
                x: n.x,
                y: n.y,
                what,
                label,
            })
        })
        .collect();
    (items, l.extent)
}

/// The three corners of an arrowhead whose tip is `end` along the unit direction `(ux, uy)`.
pub fn arrowhead(ux: f64, uy: f64, end: f64) -> [(f64, f64); 3] {
    const LENGTH: f64 = 10.0;
    const HALF_WIDTH: f64 = 5.0;
    let (tx, ty) = (ux * end, uy * end);
    let (bx, by) = (ux * (end - LENGTH), uy * (end - LENGTH));
    // The perpendicular of (ux, uy).
    let (px, py) = (-uy * HALF_WIDTH, ux * HALF_WIDTH);
    [(tx, ty), (bx + px, by + py), (bx - px, by - py)]
}

/// Where a node's two lines of text go: above it in the upper half (the link arrives from
/// below, where its counts sit), below it otherwise.
pub fn text_rows(y: f64) -> (f64, f64) {
    if y < 0.0 {
        (-DOT - 21.0, -DOT - 8.0)
    } else {
        (DOT + 13.0, DOT + 26.0)
    }
}

/// The group's word on the map, short enough for a node.
pub fn group_word(group: MapGroup) -> &'static str {
    match group {
        MapGroup::Pending => "Pending",
        MapGroup::Ending => "Terminated",
        MapGroup::Other => "Other",
        other => other.label(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::peers::peering::PeeringState;

    #[test]
    fn the_arrowhead_points_along_the_link_to_the_peer() {
        // A link going right: the tip at the end, the base 10 back, 5 either side.
        let [tip, left, right] = arrowhead(1.0, 0.0, 100.0);
        assert_eq!(tip, (100.0, 0.0));
        assert_eq!(left, (90.0, 5.0));
        assert_eq!(right, (90.0, -5.0));
        // Going up: the base is below the tip.
        let [tip, a, b] = arrowhead(0.0, -1.0, 50.0);
        assert_eq!(tip, (0.0, -50.0));
        assert_eq!((a.1, b.1), (-40.0, -40.0));
        assert_eq!((a.0 + b.0).abs(), 0.0);
    }

    #[test]
    fn two_names_never_get_one_label() {
        assert_eq!(
            labels(&["prod-east-1-primary", "prod-east-1-primarx"]),
            ["prod-east…mary", "prod-east…marx"]
        );
        // Alone, a long name keeps its start.
        assert_eq!(labels(&["prod-east-1-primary"]), ["prod-east-1-p…"]);
        // Long shared starts and ends: cut more gently until they differ, whole at worst.
        let names = [
            "cluster-region-a-0001-primary",
            "cluster-region-b-0001-primary",
            "cluster-region-a-0002-primary",
            "cluster-region-x",
            "cluster-region-xy",
            "cluster-region-x…y",
            "dc2",
        ];
        let got = labels(&names);
        let distinct: BTreeSet<&String> = got.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{got:?}");
        for (name, label) in names.iter().zip(&got) {
            assert!(label.chars().count() <= name.chars().count(), "{label}");
        }
        assert_eq!(got[6], "dc2");
        // Characters, not bytes: never cuts inside one.
        assert_eq!(
            labels(&["ünïcödé-ñame-long-1", "ünïcödé-ñame-long-2"]),
            ["ünïcödé-ñ…ng-1", "ünïcödé-ñ…ng-2"]
        );
    }

    #[test]
    fn labels_stay_unique_on_the_drawn_map() {
        let peers: Vec<MapPeer> = ["prod-east-1-primary", "prod-east-1-primarx"]
            .iter()
            .map(|n| MapPeer {
                name: n.to_string(),
                state: PeeringState::Active,
                stale: false,
                unknown: false,
                imported: 0,
                exported: 0,
                heartbeat: None,
                failover: Vec::new(),
            })
            .collect();
        let (drawn, _) = items(&peers, &BTreeSet::new());
        let labels: Vec<&str> = drawn.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["prod-east…mary", "prod-east…marx"]);
    }

    #[test]
    fn long_names_are_cut_and_counts_read_short() {
        assert_eq!(labels(&["dc2"]), ["dc2"]);
        assert_eq!(labels(&["a-very-long-peer-name"]), ["a-very-long-p…"]);
        let mut p = MapPeer {
            name: "dc2".into(),
            state: PeeringState::Active,
            stale: false,
            unknown: false,
            imported: 2,
            exported: 1,
            heartbeat: None,
            failover: Vec::new(),
        };
        assert_eq!(counts(&p), "↓2 ↑1");
        p.failover = vec!["api".into(), "web".into()];
        assert_eq!(counts(&p), "↓2 ↑1 ⇠2");
    }

    #[test]
    fn text_goes_away_from_the_link() {
        // Upper half: name then state above the dot (the link and its counts come from below).
        let (name, state) = text_rows(-160.0);
        assert!(name < state && state < -DOT);
        let (name, state) = text_rows(160.0);
        assert!(DOT < name && name < state);
    }
}
