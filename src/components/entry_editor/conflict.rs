//! After a lost race: what the other writer changed, which of the operator's values collide
//! with theirs, and "reapply my change" onto the latest version.
use super::preview::DiffLines;
use super::EntryEditor;
use crate::components::focus_heading::FocusHeading;
use crate::model::entry_edit::{Clash, EntryChange, Stage};
use crate::model::entry_render::{line_diff, to_json, DiffLine};
use leptos::prelude::*;

/// Shown while the editor is in conflict. The change names the entry in the heading (its
/// `subject`: "these intentions") and in the text when it was deleted (its `entry_label`).
#[component]
pub fn ConflictPanel<C: EntryChange>(
    editor: EntryEditor<C>,
    #[prop(into)] back_label: String,
    /// Replaces "Reapply my change" (e.g. a delete asks to confirm again instead).
    #[prop(optional)]
    reapply: Option<(String, Callback<()>)>,
    /// Shown instead of the reapply button (e.g. "The rule is gone already.").
    #[prop(optional, into)]
    nothing_to_reapply: Option<String>,
    /// Replaces the first sentence (e.g. "Nothing was deleted, …").
    #[prop(optional, into)]
    what: Option<String>,
) -> impl IntoView {
    // Only this part knows the change's type; the view below is shared by every editor.
    let Some((proposal, latest)) = editor
        .stage
        .with_untracked(|s| s.conflict().map(|(p, l)| (p.clone(), l.cloned())))
    else {
        return ().into_any();
    };
    let (subject, entry_label) = (proposal.change.subject(), proposal.change.entry_label());
    let writable = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map(|v| to_json(&proposal.change.writable(v)))
            .unwrap_or_default()
    };
    let what = what.unwrap_or_else(|| {
        if latest.is_some() {
            format!("{} changed after you opened them, so nothing was saved: saving would have overwritten that change.", capitalized(&subject))
        } else {
            format!(
                "{} was deleted after you opened it, so nothing was saved.",
                capitalized(&entry_label)
            )
        }
    });
    let conflict = Conflict {
        heading: format!("Someone else changed {subject}"),
        text: format!(
            "{what} Your change ({}) is kept. Here is what changed meanwhile:",
            proposal.change.describe()
        ),
        diff: line_diff(&writable(&proposal.base), &writable(&latest)),
        clashes: editor.stage.with_untracked(Stage::clashes),
    };
    let action = match (nothing_to_reapply, reapply) {
        (Some(note), _) => NextStep::Nothing(note),
        (None, Some((label, run))) => NextStep::Instead(label, run),
        (None, None) => {
            NextStep::Reapply(Callback::new(move |theirs_win| editor.reapply(theirs_win)))
        }
    };
    let back = Callback::new(move |_| editor.back());
    view! { <ConflictView conflict action back back_label /> }.into_any()
}

/// What a conflict shows.
struct Conflict {
    heading: String,
    text: String,
    diff: Vec<DiffLine>,
    clashes: Vec<Clash>,
}

enum NextStep {
    /// "Reapply my change", with the fields whose other writer's value wins.
    Reapply(Callback<Vec<String>>),
    /// Another action in its place.
    Instead(String, Callback<()>),
    /// Nothing to reapply: why.
    Nothing(String),
}

#[component]
fn ConflictView(
    conflict: Conflict,
    action: NextStep,
    back: Callback<()>,
    back_label: String,
) -> impl IntoView {
    let Conflict {
        heading,
        text,
        diff,
        clashes,
    } = conflict;
    // Per clash, `Some(true)` when the other writer's value wins; every clash needs a choice.
    let choices = RwSignal::new(vec![None::<bool>; clashes.len()]);
    let decided = move || choices.with(|c| c.iter().all(Option::is_some));
    let fields = StoredValue::new(clashes.iter().map(|c| c.field.clone()).collect::<Vec<_>>());
    let theirs_win = move || -> Vec<String> {
        let picked = choices.get_untracked();
        fields.with_value(|f| {
            f.iter()
                .zip(&picked)
                .filter(|(_, p)| **p == Some(true))
                .map(|(f, _)| f.clone())
                .collect()
        })
    };
    let clash_view = (!clashes.is_empty()).then(|| view! { <ClashChoices clashes choices /> });
    let action = match action {
        NextStep::Nothing(note) => view! { <p>{note}</p> }.into_any(),
        NextStep::Instead(label, run) => view! {
            <button type="button" class="danger" on:click=move |_| run.run(())>{label}</button>
        }
        .into_any(),
        NextStep::Reapply(reapply) => view! {
            <button type="button" disabled=move || !decided() on:click=move |_| reapply.run(theirs_win())>
                "Reapply my change on the latest version"
            </button>
        }
        .into_any(),
    };
    view! {
        <div class="conflict editor" role="alert">
            <FocusHeading text=heading />
            <p>{text}</p>
            <DiffLines lines=diff label="What changed since you opened them" />
            {clash_view}
            <div class="buttons">
                {action}
                <button type="button" class="secondary" on:click=move |_| back.run(())>{back_label}</button>
            </div>
        </div>
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// For each field both writers changed: whose value wins.
#[component]
fn ClashChoices(clashes: Vec<Clash>, choices: RwSignal<Vec<Option<bool>>>) -> impl IntoView {
    let items = clashes
        .into_iter()
        .enumerate()
        .map(|(i, clash)| {
            let name = format!("clash-{i}");
            let pick = move |theirs: bool| move |_| choices.update(|c| c[i] = Some(theirs));
            view! {
                <fieldset class="clash">
                    <legend>{format!("You and the other writer both changed {}", clash.field)}</legend>
                    <label><input type="radio" name=name.clone() on:change=pick(true) />
                        {format!(" Keep theirs: {}", shown(&clash.theirs))}</label>
                    <label><input type="radio" name=name on:change=pick(false) />
                        {format!(" Keep mine: {}", shown(&clash.mine))}</label>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <div class="clashes">
            <p>"Choose which value wins for each, then reapply:"</p>
            {items}
        </div>
    }
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        "(empty)".into()
    } else {
        value.to_string()
    }
}
