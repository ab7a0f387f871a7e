//! `/add-peer`: "Add peer connection", by generating a token here or establishing with one
//! generated on the other cluster.
use crate::api::peering::{
    establish_peering, generate_token, list_peerings, EstablishRequest, GenerateTokenRequest,
};
use crate::api::{ApiError, Problem};
use crate::components::app_link::AppLink;
use crate::components::cluster::use_cluster;
use crate::components::error_view::ErrorView;
use crate::components::guard::{denied, denied_title};
use crate::components::loaded::use_loaded;
use crate::model::consul::access::PEERING_WRITE;
use crate::model::peers::address::{split_addresses, validate_server_address};
use crate::model::peers::meta::collect_meta;
use crate::model::peers::name::validate_peer_name;
use crate::model::peers::peering::pending_token_for;
use crate::model::peers::token::decode_token;
use crate::pages::peers::token_result::TokenResult;
use crate::routes::hooks::use_route_part;
use crate::routes::{AddPeerQuery, Route};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

#[component]
pub fn AddPeerPage() -> impl IntoView {
    let AddPeerQuery {
        establish: establish_first,
        name: prefilled,
    } = use_route_part(|r| match r {
        Route::AddPeer(q) => Some(q.clone()),
        _ => None,
    })
    .get_untracked();
    let establishing = RwSignal::new(establish_first);
    view! {
        <section class="page">
            <nav class="breadcrumb" aria-label="Breadcrumb"><AppLink href=Route::peers()>"All peers"</AppLink></nav>
            <div class="page-header"><h1>"Add peer connection"</h1></div>
            <p class="intro">
                "Peering takes two steps: one cluster " <strong>"generates a token"</strong> " for the other, which "
                <strong>"establishes"</strong> " the peering with it. Either side can start."
            </p>
            <div class="tabs" role="tablist" on:keydown=move |ev| crate::browser::tablist_keydown(&ev) aria-label="How to add the peer">
                <button type="button" role="tab" aria-selected=move || (!establishing.get()).to_string() tabindex={move || if !establishing.get() { "0" } else { "-1" }} on:click=move |_| establishing.set(false)>
                    "Generate token"
                </button>
                <button type="button" role="tab" aria-selected=move || establishing.get().to_string() tabindex=move || if establishing.get() { "0" } else { "-1" } on:click=move |_| establishing.set(true)>
                    "Establish peering"
                </button>
            </div>
            // Both forms stay mounted so switching tabs never loses what was typed.
            <div role="tabpanel" class="tabpanel" hidden=move || establishing.get()>
                <GenerateForm />
            </div>
            <div role="tabpanel" class="tabpanel" hidden=move || !establishing.get()>
                <EstablishForm prefilled />
            </div>
        </section>
    }
}

/// Meta pairs editor shared by both forms.
#[component]
fn MetaRows(rows: RwSignal<Vec<(String, String)>>, id_prefix: &'static str) -> impl IntoView {
    view! {
        <fieldset class="meta-rows">
            <legend>"Meta (optional)"</legend>
            // Keyed rows: typing updates the signal without rebuilding the inputs (focus stays put).
            <For each=move || (0..rows.with(Vec::len)).map(move |i| (i, rows.with_untracked(|r| r.get(i).cloned().unwrap_or_default())))
                key=|(i, _)| *i let:row>
                <div class="meta-row">
                    <input type="text" aria-label=format!("Meta key {}", row.0 + 1) id=format!("{id_prefix}-meta-key-{}", row.0) placeholder="key" prop:value=row.1.0.clone()
                        on:input=move |ev| rows.update(|r| if let Some(pair) = r.get_mut(row.0) { pair.0 = event_target_value(&ev) }) />
                    <input type="text" aria-label=format!("Meta value {}", row.0 + 1) placeholder="value" prop:value=row.1.1.clone()
                        on:input=move |ev| rows.update(|r| if let Some(pair) = r.get_mut(row.0) { pair.1 = event_target_value(&ev) }) />
                    <button type="button" class="secondary" aria-label=format!("Remove meta pair {}", row.0 + 1)
                        on:click=move |_| rows.update(|r| { if row.0 < r.len() { r.remove(row.0); } })>"Remove"</button>
                </div>
            </For>
            <button type="button" class="secondary" on:click=move |_| rows.update(|r| r.push((String::new(), String::new())))>"Add meta pair"</button>
        </fieldset>
    }
}

#[component]
fn GenerateForm() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let addresses = RwSignal::new(String::new());
    let meta_rows = RwSignal::new(Vec::<(String, String)>::new());
    let name_error = Memo::new(move |_| {
        validate_peer_name(name.get().trim())
            .err()
            .map(|e| e.to_string())
    });
    let address_error = Memo::new(move |_| {
        split_addresses(&addresses.get())
            .iter()
            .find_map(|a| validate_server_address(a).err())
    });
    let meta_error = Memo::new(move |_| collect_meta(&meta_rows.get()).err());
    // A token for a name that already waits to be dialed re-keys it: say so before generating.
    let peerings = use_loaded(list_peerings);
    let rotates = Memo::new(move |_| {
        let typed = name.get().trim().to_string();
        peerings
            .data
            .with(|l| {
                l.as_ref()
                    .is_some_and(|l| pending_token_for(&l.peerings, &typed).is_some())
            })
            .then_some(typed)
    });
    let generate = Action::new_local(|request: &GenerateTokenRequest| {
        let request = request.clone();
        async move {
            generate_token(&request)
                .await
                .map(|token| (request.peer_name, token))
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if generate.pending().get_untracked()
            || name_error.get_untracked().is_some()
            || address_error.get_untracked().is_some()
        {
            return;
        }
        let Ok(meta) = collect_meta(&meta_rows.get_untracked()) else {
            return;
        };
        generate.dispatch(GenerateTokenRequest {
            peer_name: name.get_untracked().trim().to_string(),
            meta,
            server_external_addresses: split_addresses(&addresses.get_untracked()),
        });
    };
    let cluster = use_cluster();
    let datacenter = Signal::derive(move || cluster.peer_name_suggestion());
    let server_error = move || generate.value().get().and_then(Result::err);
    let write_denied = denied(PEERING_WRITE);
    let write_title = denied_title(PEERING_WRITE);
    // A token is shown once and replaces the form: generating again (a second click, Enter)
    // would silently re-key the peering and void the token just copied. "Generate another
    // token" starts over on purpose, with the list read again so the Pending warning holds.
    let again = Callback::new(move |_| {
        generate.value().set(None);
        name.set(String::new());
        addresses.set(String::new());
        meta_rows.set(Vec::new());
        touched.set(false);
        peerings.refetch();
    });
    let shown = move || generate.value().with(|v| matches!(v, Some(Ok(_))));
    view! {
        {move || match generate.value().get() {
            Some(Ok((peer, token))) => Some(view! {
                <TokenResult peer=peer.clone() token datacenter on_again=again />
                <p><AppLink href=Route::peer(&peer)>{format!("View peering {peer}")}</AppLink></p>
            }),
            _ => None,
        }}
        <Show when=move || !shown()>
        <form class="form" on:submit=submit novalidate>
            <label for="generate-name">"Name of peer"</label>
            <p class="help" id="generate-name-help">"What this cluster will call the other one: lowercase letters, digits and '-', 1 to 63 characters. It cannot be changed later."</p>
            <input id="generate-name" type="text" autocomplete="off" spellcheck="false" aria-describedby="generate-name-help"
                prop:value=move || name.get()
                on:input=move |ev| { name.set(event_target_value(&ev)); touched.set(true); }
                aria-invalid=move || (touched.get() && name_error.get().is_some()).to_string() />
            {move || touched.get().then(|| name_error.get()).flatten().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || rotates.get().map(|peer| view! {
                <p class="notice warn" role="status">{format!(
                    "A peering named {peer} is already waiting for the other cluster to use its token (Pending). \
                     Generating a new token replaces that one: the token handed out before stops working."
                )}</p>
            })}
            {move || server_error().filter(|e| e.consul_message().contains("already")).map(|e| view! {
                <p class="field-error" role="alert">{format!("{} — pick another name, or open the existing peering.", e.consul_message())}</p>
            })}
            <label for="generate-addresses">"Server external addresses (optional)"</label>
            <p class="help" id="generate-addresses-help">"Only when the other cluster cannot reach this cluster's servers directly (NAT, load balancer, mesh gateway): host:port, comma-separated. Consul puts them in the token and does not store them."</p>
            <input id="generate-addresses" type="text" aria-describedby="generate-addresses-help" placeholder="consul.example.com:8503"
                prop:value=move || addresses.get() on:input=move |ev| addresses.set(event_target_value(&ev))
                aria-invalid=move || address_error.get().is_some().to_string() />
            {move || address_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <MetaRows rows=meta_rows id_prefix="generate" />
            {move || meta_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || server_error().filter(|e| !e.consul_message().contains("already")).map(|error| view! { <ErrorView error /> })}
            <button type="submit" disabled=move || generate.pending().get() || write_denied.get() title=move || write_title.get()>
                {move || if generate.pending().get() { "Generating…" } else { "Generate token" }}
            </button>
        </form>
        </Show>
    }
}

#[component]
fn EstablishForm(prefilled: String) -> impl IntoView {
    let name = RwSignal::new(prefilled);
    let token = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let meta_rows = RwSignal::new(Vec::<(String, String)>::new());
    let name_error = Memo::new(move |_| {
        validate_peer_name(name.get().trim())
            .err()
            .map(|e| e.to_string())
    });
    let decoded = Memo::new(move |_| decode_token(&token.get()));
    let establish = Action::new_local(|request: &EstablishRequest| {
        let request = request.clone();
        async move { establish_peering(&request).await.map(|_| request.peer_name) }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(peer)) = establish.value().get() {
            navigate(&Route::peer(&peer).href(), NavigateOptions::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if establish.pending().get_untracked()
            || name_error.get_untracked().is_some()
            || decoded.get_untracked().is_err()
        {
            return;
        }
        let Ok(meta) = collect_meta(&meta_rows.get_untracked()) else {
            return;
        };
        establish.dispatch(EstablishRequest {
            peer_name: name.get_untracked().trim().to_string(),
            peering_token: token
                .get_untracked()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect(),
            meta,
        });
    };
    let server_error = move || establish.value().get().and_then(Result::err);
    let write_denied = denied(PEERING_WRITE);
    let write_title = denied_title(PEERING_WRITE);
    view! {
        <form class="form" on:submit=submit novalidate>
            <label for="establish-name">"Name of peer"</label>
            <p class="help" id="establish-name-help">"What this cluster will call the cluster that generated the token."</p>
            <input id="establish-name" type="text" autocomplete="off" spellcheck="false" aria-describedby="establish-name-help"
                prop:value=move || name.get()
                on:input=move |ev| { name.set(event_target_value(&ev)); touched.set(true); }
                aria-invalid=move || (touched.get() && name_error.get().is_some()).to_string() />
            {move || touched.get().then(|| name_error.get()).flatten().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <label for="establish-token">"Peering token"</label>
            <textarea id="establish-token" rows="5" spellcheck="false" placeholder="Paste the token generated on the other cluster"
                prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))
                aria-invalid=move || (!token.get().trim().is_empty() && decoded.get().is_err()).to_string()></textarea>
            {move || {
                if token.get().trim().is_empty() && !touched.get() {
                    return None;
                }
                Some(match decoded.get() {
                    Ok(t) => view! {
                        <div class="token-preview" aria-label="What this token points to">
                            <h3>"This token points to"</h3>
                            <dl class="facts">
                                <dt>"Datacenter"</dt><dd>{if t.remote.datacenter.is_empty() { "—".to_string() } else { t.remote.datacenter.clone() }}</dd>
                                <dt>"Partition"</dt><dd>{if t.remote.partition.is_empty() { "—".to_string() } else { t.remote.partition.clone() }}</dd>
                                <dt>"Server name"</dt><dd><code>{t.server_name.clone()}</code></dd>
                                <dt>"Server addresses"</dt><dd><code>{t.addresses().join(", ")}</code></dd>
                                <dt>"CA"</dt><dd>{if t.has_ca() { "Included: the connection is verified with TLS" } else { "None" }}</dd>
                            </dl>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="field-error" role="alert">{e.to_string()}</p> }.into_any(),
                })
            }}
            {move || server_error().filter(|e| e.problem() == Problem::TokenSuperseded).map(|e: ApiError| view! {
                <p class="field-error" role="alert">
                    "This token was already used or replaced by a newer one. Ask the other cluster to generate a new token. "
                    <span class="consul-said">{e.consul_message()}</span>
                </p>
            })}
            <MetaRows rows=meta_rows id_prefix="establish" />
            {move || server_error().filter(|e| e.problem() != Problem::TokenSuperseded).map(|error| view! { <ErrorView error /> })}
            <button type="submit" disabled=move || establish.pending().get() || write_denied.get() title=move || write_title.get()>
                {move || if establish.pending().get() { "Establishing…" } else { "Establish peering" }}
            </button>
        </form>
    }
}
