//! A checklist as both "why can't…" pages show it: each line's status in words and colour, what
//! it checked, why it holds or not, and the link to where it is fixed; "Check again" on top.
use crate::api::{ApiError, Problem};
use crate::components::app_link::AppLink;
use crate::components::loaded::{LoadStatus, LoadedView};
use crate::model::checks::lines::{one_service, CheckLine};
use crate::model::text::name_pieces;
use crate::routes::Route;
use leptos::prelude::*;
use stylers_macro::style;

/// Why a read failed, for an Unknown line: the missing permission when Consul named one.
pub fn reason(error: &ApiError) -> String {
    match error.problem() {
        Problem::PermissionDenied { .. } => error.title(),
        _ => format!("{} ({error})", error.title()),
    }
}

#[component]
pub fn CheckList(
    lines: Signal<Vec<CheckLine>>,
    /// The list's accessible name ("Checks for web and dc2").
    #[prop(into)]
    label: Signal<String>,
    /// The service and peer names the lines mention, shown in `<bdi>`.
    names: Signal<[String; 2]>,
    on_again: Callback<()>,
) -> impl IntoView {
    let class_name = style! {
        .checklist {
            list-style: none;
            padding: 0;
            margin: 0.75rem 0;
            display: flex;
            flex-direction: column;
            gap: 0.5rem;
        }
        .check {
            display: grid;
            grid-template-columns: 6.5rem 1fr;
            gap: 0.75rem;
            padding: 0.6rem 0.75rem;
            border: 1px solid var(--border);
            border-left-width: 5px;
            border-radius: var(--radius);
            background: var(--surface);
        }
        .check.pass {
            border-left-color: var(--ok);
        }
        .check.fail {
            border-left-color: var(--bad);
        }
        .check.unknown {
            border-left-color: var(--muted);
        }
        .status {
            font-weight: 700;
        }
        .pass .status {
            color: var(--ok);
        }
        .fail .status {
            color: var(--bad);
        }
        .check-title {
            margin: 0;
            font-weight: 600;
        }
        .check-why {
            margin: 0.2rem 0;
        }
        .again {
            display: flex;
            justify-content: flex-end;
        }
    };
    let rows = move || {
        lines
            .get()
            .into_iter()
            .map(|line| {
                let tone = line.status.tone();
                let fix = line.fix.map(|fix| {
                    let text = fix.label();
                    view! { <AppLink href=Route::of_fix(&fix)>{text}</AppLink> }
                });
                view! { class=class_name,
                    <li class=format!("check {tone}") data-status=tone>
                        <span class="status">{line.status.label()}</span>
                        <div>
                            <p class="check-title">{isolated(&line.title, &names.get())}</p>
                            <p class="check-why">{isolated(&line.why, &names.get())}</p>
                            {fix}
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    view! { class=class_name,
        <div class="again">
            <button type="button" class="secondary" on:click=move |_| on_again.run(())>"Check again"</button>
        </div>
        <ol class="checklist" aria-label=label>{rows}</ol>
    }
}

/// A line's text with the names in it isolated (`name_pieces`).
fn isolated(text: &str, names: &[String; 2]) -> impl IntoView {
    let names = [names[0].as_str(), names[1].as_str()];
    name_pieces(text, &names)
        .into_iter()
        .map(|(piece, name)| {
            let piece = piece.to_string();
            if name {
                view! { <bdi>{piece}</bdi> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

/// The frame both checklist pages share: the way back to the peer, the question, when it was
/// last checked, what the page checks, the lines, and what the page adds below them. Names sit in
/// `<bdi>` (the question and intro are views for that): an override inside a name must not
/// reorder the words around it. A `*` service is refused instead of checked (`one_service`).
#[component]
pub fn ChecklistPage(
    peer: Memo<String>,
    service: Memo<String>,
    #[prop(into)] question: ViewFn,
    #[prop(into)] intro: ViewFn,
    /// The list's accessible name.
    label: Signal<String>,
    lines: Signal<Vec<CheckLine>>,
    status: LoadStatus,
    updated: Signal<Option<String>>,
    on_again: Callback<()>,
    #[prop(optional)] children: Option<ChildrenFn>,
) -> impl IntoView {
    view! {
        <section class="page">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <AppLink href=Route::peers()>"All peers"</AppLink> " / "
                {move || view! { <AppLink href=Route::peer(&peer.get())><bdi>{peer.get()}</bdi></AppLink> }}
            </nav>
            <div class="page-header">
                <h1>{move || question.run()}</h1>
                <span class="updated">{updated}</span>
            </div>
            {move || match one_service(&service.get()) {
                Err(why) => view! { <p class="refused" role="alert">{why}</p> }.into_any(),
                Ok(()) => view! { <p class="intro">{intro.run()}</p> }.into_any(),
            }}
            <Show when=move || one_service(&service.get()).is_ok()>
                <LoadedView loaded=status what="the checks">
                    <CheckList lines label names=Signal::derive(move || [service.get(), peer.get()]) on_again />
                </LoadedView>
                {children.as_ref().map(|c| c())}
            </Show>
        </section>
    }
}
