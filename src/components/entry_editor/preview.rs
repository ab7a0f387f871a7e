//! What a save will write (intentions or exports), before it is written: the whole entry as JSON or HCL with the changed
//! lines marked, and the equivalent `consul config write` command.
use crate::components::copy_button::CopyButton;
use crate::model::entry_render::{
    delete_command, fold, has_changes, line_diff, shown_command, to_hcl, to_json, write_command,
    DiffLine, Shown,
};
use leptos::prelude::*;
use serde_json::Value;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Hcl,
}

/// `before` is the stored entry as it would be written back (`None`: it does not exist yet);
/// `after` is what will be sent (`None`: the entry is deleted).
/// `subject` names what a concurrent writer could have changed ("these intentions").
#[component]
pub fn EntryPreview(
    before: Option<Value>,
    after: Option<Value>,
    cas: u64,
    #[prop(into)] subject: String,
) -> impl IntoView {
    let format = RwSignal::new(Format::Json);
    let json_diff = line_diff(
        &before.as_ref().map(to_json).unwrap_or_default(),
        &after.as_ref().map(to_json).unwrap_or_default(),
    );
    // The HCL diff only when asked for: on a large entry it costs as much as the JSON one.
    let entries = StoredValue::new((before.clone(), after.clone()));
    let hcl_diff = move || {
        entries.with_value(|(b, a)| {
            line_diff(
                &b.as_ref().map(to_hcl).unwrap_or_default(),
                &a.as_ref().map(to_hcl).unwrap_or_default(),
            )
        })
    };
    let changed = json_diff
        .iter()
        .filter(|l| !matches!(l, DiffLine::Same(_)))
        .count();
    let unchanged = !has_changes(&json_diff);
    let command = match (&after, &before) {
        (Some(after), _) => write_command(after, Some(cas)),
        (None, Some(before)) => delete_command(before, cas),
        (None, None) => String::new(),
    };
    let command_text = Signal::derive({
        let command = command.clone();
        move || command.clone()
    });
    let tab = move |f: Format, label: &'static str| {
        view! {
            <button type="button" class="secondary" aria-pressed=move || (format.get() == f).to_string()
                on:click=move |_| format.set(f)>{label}</button>
        }
    };
    view! {
        <div class="preview">
            <div class="preview-bar">
                <span class="preview-title">"What will be written"</span>
                <span class="preview-formats" role="group" aria-label="Format">
                    {tab(Format::Json, "JSON")}
                    {tab(Format::Hcl, "HCL")}
                </span>
                <span class="preview-count">
                    {if unchanged { "No change".to_string() } else { format!("{changed} changed line{}", if changed == 1 { "" } else { "s" }) }}
                </span>
            </div>
            {move || match format.get() {
                Format::Json => view! { <DiffLines lines=json_diff.clone() label="The entry as JSON" /> }.into_any(),
                Format::Hcl => view! { <DiffLines lines=hcl_diff() label="The entry as HCL" /> }.into_any(),
            }}
            <h3>"The same change from a terminal"</h3>
            <p class="hint">
                {format!("Check-and-set: Consul refuses the write if someone changed {subject} since version {cas}.")}
            </p>
            <pre class="command" data-testid="write-command">{shown_command(&command, 40)}</pre>
            <CopyButton text=command_text label="Copy command" />
        </div>
    }
}

/// Lines with `+`/`-` marks; added and removed lines are also named for screen readers. A long
/// diff shows its changes with a few lines around them, the rest folded until asked for.
#[component]
pub fn DiffLines(lines: Vec<DiffLine>, #[prop(into)] label: String) -> impl IntoView {
    let all = RwSignal::new(false);
    let folded = fold(&lines, 3);
    let has_folds = folded.iter().any(|s| matches!(s, Shown::Fold(_)));
    let total = lines.len();
    let lines = StoredValue::new(lines);
    let body = move || {
        let shown = if all.get() {
            lines.with_value(|l| l.iter().cloned().map(Shown::Line).collect())
        } else {
            folded.clone()
        };
        shown.into_iter().map(shown_line).collect_view()
    };
    view! {
        <pre class="diff" aria-label=label tabindex="0">{body}</pre>
        {has_folds.then(|| view! {
            <button type="button" class="secondary small" on:click=move |_| all.update(|a| *a = !*a)>
                {move || if all.get() { "Fold unchanged lines".to_string() } else { format!("Show all {total} lines") }}
            </button>
        })}
    }
}

fn shown_line(shown: Shown) -> AnyView {
    let line = match shown {
        Shown::Fold(n) => {
            return view! { <span class="line fold">{format!("… {n} unchanged line{} …", if n == 1 { "" } else { "s" })}</span> }
                .into_any()
        }
        Shown::Line(line) => line,
    };
    let (class, spoken) = match &line {
        DiffLine::Same(_) => ("line same", ""),
        DiffLine::Added(_) => ("line added", "added: "),
        DiffLine::Removed(_) => ("line removed", "removed: "),
    };
    view! {
        <span class=class>
            <span class="mark" aria-hidden="true">{line.mark().to_string()}</span>
            <span class="visually-hidden">{spoken}</span>
            {line.text().to_string()}
        </span>
    }
    .into_any()
}
