use crate::components::copy_button::CopyButton;
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
) -> impl IntoView {
    let token_signal = Signal::derive({
        let token = token.clone();
        move || token.clone()
    });
    view! {
        <div class="token-result" role="region" aria-label="Peering token">
            <h2>"Peering token for " <code>{peer.clone()}</code></h2>
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
                <li>"Back here, " <code>{peer}</code> " turns from Pending to Active once the other side connects."</li>
            </ol>
        </div>
    }
}
