//! What a save will write (intentions or exports), before it is written: the whole entry as JSON or HCL with the changed
//! lines marked, and the equivalent `consul config write` command.
use crate::components::copy_button::CopyButton;
use crate::model::intention_render::{
    delete_command, has_changes, line_diff, to_hcl, to_json, write_command, DiffLine,
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
    let hcl_diff = line_diff(
        &before.as_ref().map(to_hcl).unwrap_or_default(),
        &after.as_ref().map(to_hcl).unwrap_or_default(),
    );
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
                Format::Hcl => view! { <DiffLines lines=hcl_diff.clone() label="The entry as HCL" /> }.into_any(),
            }}
            <h3>"The same change from a terminal"</h3>
            <p class="hint">
                {format!("Check-and-set: Consul refuses the write if someone changed {subject} since version {cas}.")}
            </p>
            <pre class="command" data-testid="write-command">{command}</pre>
            <CopyButton text=command_text label="Copy command" />
        </div>
    }
}

/// Lines with `+`/`-` marks; added and removed lines are also named for screen readers.
#[component]
pub fn DiffLines(lines: Vec<DiffLine>, #[prop(into)] label: String) -> impl IntoView {
    let body = lines
        .into_iter()
        .map(|line| {
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
        })
        .collect_view();
    view! {
        <pre class="diff" aria-label=label tabindex="0">{body}</pre>
    }
}
