use crate::components::copy_button::CopyButton;
use crate::components::focus_heading::FocusHeading;
use leptos::prelude::*;

/// A freshly generated peering token: shown once, copyable, with what to do next.
/// It lives only in this view's memory; nothing stores it.
#[component]
pub fn TokenResult(
    #[prop(into)] peer: String,
    #[prop(into)] token: String,
    /// This cluster's name to suggest on the other side (it may arrive after the token).
    #[prop(into)]
    datacenter: Signal<String>,
    /// "Generate another token": back to an empty form (the add page; not on Regenerate).
    #[prop(optional)]
    on_again: Option<Callback<()>>,
) -> impl IntoView {
    let token_signal = Signal::derive({
        let token = token.clone();
        move || token.clone()
    });
    view! {
        <div class="token-result" role="region" aria-label="Peering token">
            // The focus lands on the token's heading: the form that made it is gone, and the
            // keyboard goes on to Copy.
            <FocusHeading text=format!("Peering token for {peer}") />
            <p class="warn-text">
                <strong>"Copy it now: it cannot be shown again."</strong>
                " It works once. Generating another token for this peer makes this one stop working (an established connection stays up)."
            </p>
            <textarea class="token" readonly rows="5" aria-label="Peering token" spellcheck="false">{token}</textarea>
            <div class="copy-row">
                <CopyButton text=token_signal what="peering token" />
            </div>
            <h3>"Next steps, on the other cluster"</h3>
            <ol>
                <li>"Open this console (or Consul's UI) on the other cluster, signed in with a token that has " <code>"peering:write"</code> "."</li>
                <li>"Choose " <em>"Add peer connection"</em> " → " <em>"Establish peering"</em> ", name this cluster (for example " <code>{datacenter}</code> "), and paste the token."</li>
                <li>"Or run: " <code>{move || format!("consul peering establish -name {} -peering-token <token>", datacenter.get())}</code></li>
                <li>"Back here, " <code>{peer.clone()}</code> " turns from Pending to Active once the other side connects."</li>
            </ol>
            {on_again.map(|again| view! {
                <p>
                    <button type="button" class="secondary" on:click=move |_| again.run(())>"Generate another token"</button>
                    " starts over with an empty form. This token keeps working until another is generated for "
                    <code>{peer}</code> "."
                </p>
            })}
        </div>
    }
}
