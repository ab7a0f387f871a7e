//! `/gateways`: the mesh entry's `PeerThroughMeshGateways`, the global proxy-defaults'
//! `MeshGateway.Mode`, and this cluster's mesh gateways, with what each means for peering.
//! Both settings are edited through the check-and-set editor.
use crate::components::entry_editor::{
    use_entry_editor, Base, EntryEditor, EntryEditorFlow, EntrySource,
};
use crate::components::field_errors::FieldErrors;
use crate::components::guard::{denied, denied_title};
use crate::components::loaded::{Loaded, LoadedView};
use crate::model::consul::access::MESH_WRITE;
use crate::model::gateways::change::GatewayChange;
use crate::model::gateways::traffic::{
    gateway_mode, peer_through_gateways, GatewayInstance, GatewayMode, FIELD_MODE,
    FIELD_PEER_THROUGH, MESH_KIND,
};
use crate::pages::gateways::status::{use_gateway_state, GatewayState, GatewayWarnings};
use leptos::prelude::*;
use serde_json::Value;

#[component]
pub fn GatewaysPage() -> impl IntoView {
    let state = use_gateway_state();
    let edit = use_entry_editor::<GatewayChange>(state);
    view! {
        <section class="page">
            <div class="page-header"><h1>"Gateways"</h1></div>
            <p class="intro">
                "How traffic between this cluster and its peers travels. Peering carries two kinds of traffic: "
                "control-plane traffic between the servers (the peering stream, which carries the catalog of exported services), "
                "and service-to-service traffic between sidecars, which always enters the exporting cluster through its mesh gateway."
            </p>
            <GatewayWarnings state />
            <EntryEditorFlow editor=edit back_label="Back to the gateways"
                denied=denied(MESH_WRITE) denied_title=denied_title(MESH_WRITE)>
                <LoadedView loaded=state.status() what="the gateway settings">
                    {move || state.get().map(|snapshot| view! { <Settings snapshot edit /> })}
                </LoadedView>
            </EntryEditorFlow>
        </section>
    }
}

/// The two settings are the `mesh` and the global `proxy-defaults` entries of the state.
impl EntrySource for Loaded<GatewayState> {
    fn base(&self, kind: &str, _name: &str) -> Base {
        self.data.with_untracked(|s| match s {
            None => Base::Unread,
            Some(s) if kind == MESH_KIND => Base::Read(s.mesh.clone()),
            Some(s) => Base::Read(s.proxy.clone()),
        })
    }

    fn put(&self, kind: &str, _name: &str, latest: Option<Value>) {
        self.data.update(|s| {
            if let Some(s) = s {
                if kind == MESH_KIND {
                    s.mesh = latest;
                } else {
                    s.proxy = latest;
                }
            }
        });
    }

    fn refetch(&self) {
        Loaded::refetch(*self);
    }
}

/// The settings as last read; rendered again when they change (after a save), so only the
/// form's own state is reactive.
#[component]
fn Settings(snapshot: GatewayState, edit: EntryEditor<GatewayChange>) -> impl IntoView {
    let write_denied = denied(MESH_WRITE);
    let write_title = denied_title(MESH_WRITE);
    let on = peer_through_gateways(snapshot.mesh.as_ref());
    let mode = gateway_mode(snapshot.proxy.as_ref());
    let addresses: Vec<String> = snapshot
        .instances
        .iter()
        .map(|i| i.address.clone())
        .collect();
    let problems = move |field: &'static str| {
        Signal::derive(move || {
            edit.problems.with(|ps| {
                ps.iter()
                    .filter(|p| p.field == field)
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    let picked = RwSignal::new(mode.clone().unwrap_or_default());
    let hidden = snapshot.services_hidden && addresses.is_empty();
    let token_contents = match (on, addresses.is_empty()) {
        (true, true) if hidden => "Your token cannot see this cluster's services (it needs service:read), so whether a mesh gateway is registered is unknown here: a new peering token carries the gateways' addresses, and generating one fails if none is registered.".to_string(),
        (false, _) => "A new peering token carries this cluster's server addresses (their gRPC-TLS port), or the server external addresses given when it is generated.".to_string(),
        // agent/consul/peering_backend.go GetLocalServerAddresses → meshGatewayAdresses.
        (true, true) => "No mesh gateway is registered, so generating a peering token fails: Consul answers \"servers are configured to PeerThroughMeshGateways, but no mesh gateway instances are registered\".".to_string(),
        (true, false) => format!("A new peering token carries the mesh gateways' addresses instead of the servers': {}.", addresses.join(", ")),
    };
    let toggle = move |_| edit.propose(GatewayChange::PeerThrough(Some(!on)));
    let review_mode = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.propose(GatewayChange::Mode(Some(picked.get_untracked())));
    };
    let (mode_label, mode_meaning) = match &mode {
        Ok(m) => (m.label().to_string(), m.meaning()),
        Err(word) => (
            format!("{word} (not a mode this console knows)"),
            "Consul does not know this mode either: correct it.",
        ),
    };
    let current = mode.ok();
    view! {
        <section class="gateway-setting" aria-labelledby="peer-through-heading">
            <h2 id="peer-through-heading">"Peering through mesh gateways"</h2>
            <dl class="facts">
                <dt>"PeerThroughMeshGateways"</dt>
                <dd data-testid="peer-through">{if on { "On" } else { "Off" }}</dd>
            </dl>
            <p>{if on {
                "On: peering control-plane traffic goes through mesh gateways. This cluster's servers advertise the mesh gateways' addresses as their own, the gateways expose the servers to peers, and when this cluster dials a peer it goes through its own mesh gateways first."
            } else {
                "Off: peering control-plane traffic goes straight to the servers' gRPC-TLS port, so peers must be able to reach the servers. Service-to-service traffic still goes through mesh gateways."
            }}</p>
            <p data-testid="token-contents">{token_contents}</p>
            <button type="button" aria-describedby="peer-through-error" disabled=move || write_denied.get() title=move || write_title.get() on:click=toggle>
                {if on { "Turn off peering through mesh gateways" } else { "Turn on peering through mesh gateways" }}
            </button>
            <FieldErrors id="peer-through-error" messages=problems(FIELD_PEER_THROUGH) />
        </section>
        <section class="gateway-setting" aria-labelledby="mode-heading">
            <h2 id="mode-heading">"Mesh gateway mode"</h2>
            <dl class="facts">
                <dt>"Global proxy-defaults MeshGateway.Mode"</dt>
                <dd data-testid="gateway-mode">{mode_label}</dd>
            </dl>
            <p>{mode_meaning}</p>
            <p class="hint">"A service's own service-defaults, or an upstream's registration, can override this mode."</p>
            <form class="inline-fields" on:submit=review_mode novalidate=true aria-label="Change the mesh gateway mode">
                <label for="gateway-mode-select">"Mode"</label>
                <select id="gateway-mode-select" aria-describedby="mode-error" disabled=move || write_denied.get()
                    on:change=move |ev| picked.set(GatewayMode::parse(&event_target_value(&ev)).unwrap_or_default())>
                    {GatewayMode::ALL.iter().map(|m| view! {
                        <option value=m.as_str() selected=current == Some(*m)>{m.label()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" disabled=move || write_denied.get() title=move || write_title.get()>"Review mode change"</button>
            </form>
            {move || (current != Some(picked.get())).then(|| view! {
                <p class="hint">{format!("With {}: {}", picked.get().label(), picked.get().meaning())}</p>
            })}
            <FieldErrors id="mode-error" messages=problems(FIELD_MODE) />
        </section>
        <GatewayTable instances=snapshot.instances hidden=snapshot.services_hidden />
    }
}

#[component]
fn GatewayTable(
    instances: Vec<GatewayInstance>,
    /// Consul hid services from the token: an empty list proves nothing.
    hidden: bool,
) -> impl IntoView {
    let rows = if instances.is_empty() && hidden {
        view! {
            <p class="empty-filter">"No mesh gateway that your token may see. Consul hides the services a token may not read (it needs service:read), so a gateway may be registered all the same."</p>
        }.into_any()
    } else if instances.is_empty() {
        view! {
            <p class="empty-filter">"No mesh gateway is registered in this cluster. A cluster that exports services to peers needs one: the peers' calls arrive through it."</p>
        }.into_any()
    } else {
        view! {
            <table class="data" aria-label="Mesh gateways">
                <thead><tr>
                    <th scope="col">"Service"</th><th scope="col">"Instance"</th><th scope="col">"Node"</th>
                    <th scope="col">"Address (WAN preferred)"</th><th scope="col">"Health"</th>
                </tr></thead>
                <tbody>
                    {instances.into_iter().map(|i| view! {
                        <tr>
                            <td><bdi>{i.service}</bdi></td><td><code><bdi>{i.id}</bdi></code></td><td><bdi>{i.node}</bdi></td>
                            <td><code>{i.address}</code></td>
                            <td class=format!("health {}", i.health.label())>{i.health.label()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any()
    };
    view! {
        <section class="gateway-list" aria-labelledby="gateways-heading">
            <h2 id="gateways-heading">"Mesh gateways in this cluster"</h2>
            <p class="hint">
                "The cluster that exports a service needs a healthy mesh gateway: its peers' calls to that service arrive through it. "
                "The importing cluster needs one only in local mode, where its sidecars leave through it."
            </p>
            {rows}
        </section>
    }
}
