use crate::model::peers::peering::PeeringState;
use leptos::prelude::*;
use stylers_macro::style;

/// A peering's state as a badge: the word, a tooltip with its meaning, and the meaning
/// spelled out for screen readers.
#[component]
pub fn StateBadge(state: PeeringState) -> impl IntoView {
    let class_name = style! {
        .badge {
            display: inline-flex;
            align-items: center;
            gap: 0.35rem;
            padding: 0.1rem 0.6rem;
            border-radius: 999px;
            font-size: 0.85rem;
            font-weight: 600;
            border: 1px solid currentColor;
            white-space: nowrap;
        }
        .badge::before {
            content: "";
            width: 0.5rem;
            height: 0.5rem;
            border-radius: 50%;
            background: currentColor;
        }
        .ok {
            color: var(--ok);
        }
        .info {
            color: var(--info);
        }
        .bad {
            color: var(--bad);
        }
        .muted {
            color: var(--muted);
        }
    };
    view! { class=class_name,
        <span class=format!("badge {}", state.tone()) title=state.meaning() data-state=state.label()>
            <span class="label">{state.badge()}</span>
            <span class="visually-hidden">": " {state.meaning()}</span>
        </span>
    }
}
