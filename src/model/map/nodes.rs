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

/// Names longer than this are cut on the map (the full name is in the link's name and tooltip).
pub fn short(name: &str) -> String {
    const MAX: usize = 14;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(MAX - 1).collect::<String>())
    }
}

pub fn items(peers: &[MapPeer], expanded: &BTreeSet<MapGroup>) -> (Vec<Item>, f64) {
    let l = layout(peers, expanded);
    let items = l
        .nodes
        .iter()
        .filter_map(|n| {
            let (key, what) = match &n.kind {
                NodeKind::Peer(i) => {
                    let p = peers.get(*i)?;
                    let key = format!(
                        "p|{}|{:.0}|{:.0}|{}|{}|{}|{}",
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
    fn long_names_are_cut_and_counts_read_short() {
        assert_eq!(short("dc2"), "dc2");
        assert_eq!(short("a-very-long-peer-name"), "a-very-long-p…");
        let mut p = MapPeer {
            name: "dc2".into(),
            state: PeeringState::Active,
            stale: false,
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
