use crate::browser;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A Copy button with visible feedback ("Copied" / "Copy failed: select the text").
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(into, default = "Copy".into())] label: String,
    /// What is being copied, for screen readers ("Copy peering token").
    #[prop(into, optional)]
    what: Option<String>,
) -> impl IntoView {
    let status = RwSignal::new(None::<bool>);
    let aria = what.map(|w| format!("{label} {w}"));
    let copy = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            let ok = browser::copy_text(&value).await;
            status.set(Some(ok));
            set_timeout(move || status.set(None), std::time::Duration::from_secs(3));
        });
    };
    view! {
        <button type="button" class="secondary copy" on:click=copy aria-label=aria>
            {label}
        </button>
        <span class="copy-status" role="status" aria-live="polite">
            {move || match status.get() {
                Some(true) => "Copied",
                Some(false) => "Copy failed: select the text and copy it by hand",
                None => "",
            }}
        </span>
    }
}
