//! The map of peerings, drawn as SVG by the app itself: this cluster in the middle, a node per
//! peer on rings around it, each link drawn in the peer's state. Classes and presentation
//! attributes only (the strict CSP forbids `style` attributes); colours are the theme's
//! variables, so it reads in light and dark. Every state is a word and a glyph as well as a
//! colour and a line pattern. Peers are links (Tab, then Enter); "and N more" nodes are buttons.

use crate::browser;
use crate::components::app_link::app_path;
use crate::model::map::layout::{MapGroup, MapPeer, CENTRE_RADIUS};
use crate::model::map::nodes::{
    arrowhead, counts, glyph, group_word, items, short, text_rows, Item, What, COUNTS_AT, DOT,
};
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::BTreeSet;
use stylers_macro::style;

/// The map. `peers` in map order (`map_peers`); `centre` names this cluster.
#[component]
pub fn PeerMap(peers: Signal<Vec<MapPeer>>, centre: Signal<String>) -> impl IntoView {
    let class_name = style! {
        .map-wrap {
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: var(--bg);
            padding: 0.5rem;
        }
        svg {
            display: block;
            margin: 0 auto;
            max-width: 100%;
            height: auto;
            font-family: var(--sans);
        }
        .legend {
            display: flex;
            flex-wrap: wrap;
            gap: 0.4rem 1.1rem;
            margin: 0 0 0.5rem;
            padding: 0;
            list-style: none;
            font-size: 0.85rem;
            color: var(--muted);
        }
        .hub {
            fill: var(--surface);
            stroke: var(--accent);
            stroke-width: 3;
        }
        .hub-name {
            fill: var(--fg);
            font-weight: 700;
            font-size: 15px;
        }
        .hub-role {
            fill: var(--muted);
            font-size: 10px;
        }
        .link {
            stroke: currentColor;
            stroke-width: 2;
            fill: none;
        }
        .dot {
            fill: var(--bg);
            stroke: currentColor;
            stroke-width: 3;
        }
        .glyph {
            fill: currentColor;
            font-size: 12px;
            font-weight: 700;
        }
        .name {
            fill: var(--fg);
            font-size: 11px;
            font-weight: 600;
            unicode-bidi: isolate;
        }
        .word {
            fill: currentColor;
            font-size: 10px;
            font-weight: 600;
        }
        .counts {
            fill: var(--fg);
            font-size: 10px;
            paint-order: stroke;
            stroke: var(--bg);
            stroke-width: 3px;
        }
        .node {
            cursor: pointer;
        }
        .node:focus-visible {
            outline: 3px solid var(--focus);
            outline-offset: 3px;
        }
        .node:hover .name {
            text-decoration: underline;
        }
        .active {
            color: var(--ok);
        }
        .failing {
            color: var(--bad);
        }
        .stale {
            color: var(--warn);
        }
        .unknown {
            color: var(--warn);
        }
        .pending {
            color: var(--info);
        }
        .ending {
            color: var(--muted);
        }
        .other {
            color: var(--muted);
        }
        .link.pending {
            stroke-dasharray: 8 5;
        }
        .link.stale {
            stroke-dasharray: 2 5;
            stroke-linecap: round;
        }
        .link.unknown {
            stroke-dasharray: 1 6;
        }
        .link.ending {
            stroke-dasharray: 10 4 2 4;
        }
        .link.other {
            stroke-dasharray: 2 3;
        }
        .link.failing {
            stroke-width: 3;
            stroke-dasharray: 12 3 3 3;
        }
        .dot.pending {
            stroke-dasharray: 5 3;
        }
        .dot.stale {
            stroke-dasharray: 2 3;
        }
        .failover-arrow {
            fill: var(--fg);
        }
        .more-dot {
            fill: var(--surface);
            stroke: var(--border);
            stroke-width: 2;
            stroke-dasharray: 4 3;
        }
    };
    let expanded = RwSignal::new(BTreeSet::<MapGroup>::new());
    let drawn = Memo::new(move |_| peers.with(|p| expanded.with(|e| items(p, e))));
    let view_box = move || {
        let extent = drawn.with(|d| d.1);
        format!(
            "{:.0} {:.0} {:.0} {:.0}",
            -extent,
            -extent,
            extent * 2.0,
            extent * 2.0
        )
    };
    // Drawn at its own size (one unit a pixel: 11 px names) and scaled down only to fit.
    let size = move || format!("{:.0}", drawn.with(|d| d.1) * 2.0);
    let nodes = Memo::new(move |_| drawn.with(|d| d.0.clone()));
    let toggle = Callback::new(move |(group, open): (MapGroup, bool)| {
        expanded.update(|e| {
            if open {
                e.insert(group);
            } else {
                e.remove(&group);
            }
        });
        // The control pressed is replaced: the keyboard stays on its counterpart.
        let next = if open { "fewer" } else { "more" };
        browser::focus_soon(format!("[data-map-control=\"{next}-{}\"]", group.class()));
    });
    let total = move || peers.with(Vec::len);
    let label = move || {
        let n = total();
        format!(
            "Map of this cluster's peerings: {n} peer{}",
            if n == 1 { "" } else { "s" }
        )
    };
    let navigate = use_navigate();
    let open_peer = Callback::new(move |name: String| {
        navigate(&Route::peer(&name).href(), Default::default());
    });
    view! { class=class_name,
        <div class="map-wrap">
            <ul class="legend" aria-label="How to read the map">
                <li>"✓ Active (solid)"</li>
                <li>"! Failing (red, heavy dashes)"</li>
                <li>"~ Stale: Active but not heard from for over 2 min (dotted)"</li>
                <li>"… Pending or Establishing (dashed)"</li>
                <li>"× Deleting or Terminated (grey, dash-dot)"</li>
                <li>"↓ imported · ↑ exported services · ⇠ and an arrowhead: local services that fail over to the peer"</li>
            </ul>
            <svg viewBox=view_box width=size height=size role="group" aria-label=label data-testid="peer-map">
                <g class="links" aria-hidden="true">
                    <For each=move || nodes.get() key=|i| i.key.clone() let:item>
                        <MapLink item class_name />
                    </For>
                </g>
                <g class="hub-group" aria-hidden="true">
                    <circle class="hub" r=CENTRE_RADIUS />
                    <text class="hub-name" text-anchor="middle" y="0">{move || short(&centre.get())}</text>
                    <text class="hub-role" text-anchor="middle" y="16">"this cluster"</text>
                </g>
                <For each=move || nodes.get() key=|i| i.key.clone() let:item>
                    <MapNode item class_name toggle open_peer />
                </For>
            </svg>
        </div>
    }
}

/// The line from this cluster to a node, in the peer's state.
#[component]
fn MapLink(item: Item, class_name: &'static str) -> impl IntoView {
    let distance = item.x.hypot(item.y).max(1.0);
    let (ux, uy) = (item.x / distance, item.y / distance);
    let end = distance - DOT - 4.0;
    let class = format!("link {}", item.group().class());
    // Failover points at the peer: an arrowhead at the peer's end of the link. A polygon, not an
    // SVG marker: `url(#…)` references resolve against `<base href>`, which is Consul's path.
    let fails_over_to = match &item.what {
        What::Peer(p) if !p.failover.is_empty() => Some(p.name.clone()),
        _ => None,
    };
    let arrow = fails_over_to.map(|peer| {
        let points = arrowhead(ux, uy, end)
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ");
        view! { class=class_name, <polygon class="failover-arrow" points=points data-failover-to=peer /> }
    });
    view! { class=class_name,
        <line class=class
            x1=format!("{:.1}", ux * CENTRE_RADIUS) y1=format!("{:.1}", uy * CENTRE_RADIUS)
            x2=format!("{:.1}", ux * end) y2=format!("{:.1}", uy * end) />
        {arrow}
    }
}

#[component]
fn MapNode(
    item: Item,
    class_name: &'static str,
    toggle: Callback<(MapGroup, bool)>,
    open_peer: Callback<String>,
) -> impl IntoView {
    let group = item.group();
    let tone = group.class();
    let transform = format!("translate({:.1} {:.1})", item.x, item.y);
    let (first_row, second_row) = text_rows(item.y);
    let distance = item.x.hypot(item.y).max(1.0);
    let (cx, cy) = (
        -item.x / distance * COUNTS_AT,
        -item.y / distance * COUNTS_AT + 3.5,
    );
    match item.what {
        What::Peer(p) => {
            let href = app_path(&Route::peer(&p.name));
            let name = p.name.clone();
            let tooltip = if p.failover.is_empty() {
                p.describe()
            } else {
                format!(
                    "{}\nLocal services that fail over to {}: {}",
                    p.describe(),
                    p.name,
                    p.failover.join(", ")
                )
            };
            let on_click = move |ev: leptos::ev::MouseEvent| {
                // A new tab or window is the browser's to open.
                if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                    return;
                }
                ev.prevent_default();
                open_peer.run(name.clone());
            };
            view! { class=class_name,
                <g>
                    <a class="node" transform=transform href=href aria-label=p.describe() data-map-peer=p.name.clone() on:click=on_click>
                        <title>{tooltip}</title>
                        <circle class=format!("dot {tone}") r=DOT />
                        <text class=format!("glyph {tone}") text-anchor="middle" y="4.5" >{glyph(group)}</text>
                        <text class="counts" text-anchor="middle" x=format!("{cx:.1}") y=format!("{cy:.1}")>{counts(&p)}</text>
                        <text class="name" text-anchor="middle" y=first_row>{item.label.clone()}</text>
                        <text class=format!("word {tone}") text-anchor="middle" y=second_row >{p.state_word()}</text>
                    </a>
                </g>
            }
            .into_any()
        }
        What::More { group, hidden } => {
            let label = format!("and {hidden} more {}", group.label());
            view! { class=class_name,
                <g>
                    <g class="node" transform=transform role="button" tabindex="0" aria-expanded="false"
                        aria-label=format!("{label}: show them")
                        data-map-control=format!("more-{tone}")
                        on:click=move |_| toggle.run((group, true))
                        on:keydown=move |ev| activate(&ev, || toggle.run((group, true)))>
                        <title>{format!("{label}: show them")}</title>
                        <circle class="more-dot" r=DOT + 4.0 />
                        <text class="glyph" text-anchor="middle" y="5">"+"</text>
                        <text class="name" text-anchor="middle" y=first_row>{format!("and {hidden} more")}</text>
                        <text class=format!("word {tone}") text-anchor="middle" y=second_row >{group_word(group)}</text>
                    </g>
                </g>
            }
            .into_any()
        }
        What::Fewer { group } => view! { class=class_name,
            <g>
                <g class="node" transform=transform role="button" tabindex="0" aria-expanded="true"
                    aria-label=format!("Show fewer {}", group.label())
                    data-map-control=format!("fewer-{tone}")
                    on:click=move |_| toggle.run((group, false))
                    on:keydown=move |ev| activate(&ev, || toggle.run((group, false)))>
                    <title>{format!("Show fewer {}", group.label())}</title>
                    <circle class="more-dot" r=DOT + 4.0 />
                    <text class="glyph" text-anchor="middle" y="5">"−"</text>
                    <text class="name" text-anchor="middle" y=first_row>"Show fewer"</text>
                    <text class=format!("word {tone}") text-anchor="middle" y=second_row >{group_word(group)}</text>
                </g>
            </g>
        }
        .into_any(),
    }
}

/// Enter or Space on a button-like node, as on a `<button>`.
fn activate(ev: &leptos::ev::KeyboardEvent, run: impl FnOnce()) {
    if matches!(ev.key().as_str(), "Enter" | " ") {
        ev.prevent_default();
        run();
    }
}
