//! The operator's ACL session: who they are, what their token may do, and signing in and out.
use crate::api::acl::{authorize, token_self};
use crate::api::{token_store, ApiError, Problem};
use crate::components::cluster::use_cluster;
use crate::components::error_view::ErrorView;
use crate::model::consul::access::{Access, Identity};
use crate::model::consul::acl_token::clean_token;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AclState {
    Unknown,
    Off,
    On,
}

#[derive(Clone, Copy)]
pub struct Session {
    /// Bumped on sign-in and sign-out so every view fetches again with the new token.
    pub version: RwSignal<u64>,
    pub acl: RwSignal<AclState>,
    pub identity: RwSignal<Option<Identity>>,
    pub access: RwSignal<Access>,
    pub sign_in_open: RwSignal<bool>,
}

impl Session {
    fn new() -> Self {
        Self {
            version: RwSignal::new(0),
            acl: RwSignal::new(AclState::Unknown),
            identity: RwSignal::new(None),
            access: RwSignal::new(Access::default()),
            sign_in_open: RwSignal::new(false),
        }
    }

    /// Asks Consul who we are and what we may do.
    fn load(self) {
        // Consul's page settings say whether ACLs are on: no need to ask (and log 401s) when off.
        let acls = use_cluster().acls_enabled();
        if acls == Some(false) {
            self.acl.set(AclState::Off);
            self.access.set(Access::acls_off());
            return;
        }
        // A sign-in or sign-out while this runs makes its answers stale: drop them.
        let version = self.version.get_untracked();
        let current = move || self.version.try_get_untracked() == Some(version);
        let acls_on = acls == Some(true);
        spawn_local(async move {
            let has_token = token_store::current().is_some();
            // Signed out with ACLs known to be on: nothing to ask. Consul answers token/self
            // without a token with a 403 (1.15+: "token does not exist"), which the browser
            // would log on every page load.
            let who = if acls_on && !has_token {
                Err(ApiError::Http {
                    status: 403,
                    body: "ACL not found".into(),
                })
            } else {
                token_self(None).await
            };
            if !current() {
                return;
            }
            match who {
                Ok(identity) => {
                    self.acl.set(AclState::On);
                    self.identity.set(has_token.then_some(identity));
                }
                Err(e) if e.problem() == Problem::AclDisabled => {
                    self.acl.set(AclState::Off);
                    self.access.set(Access::acls_off());
                    return;
                }
                Err(_) => {
                    self.acl.set(AclState::On);
                    self.identity.set(None);
                }
            }
            let answers = authorize(&Access::checks()).await;
            if !current() {
                return;
            }
            let access = match answers {
                Ok(answers) => Access::from_answers(&answers),
                Err(e) if e.problem() == Problem::AclDisabled => Access::acls_off(),
                // Unknown: the UI does not block; Consul's answer to the action will explain.
                Err(_) => Access::default(),
            };
            self.access.set(access);
        });
    }

    pub fn signed_in(self, token: &str, remember: bool, identity: Identity) {
        token_store::store(token, remember);
        self.identity.set(Some(identity));
        self.sign_in_open.set(false);
        self.version.update(|v| *v += 1);
        self.load();
    }

    /// Signs this tab out; see `token_store::sign_out` for what happens to a remembered token.
    pub fn sign_out(self) {
        token_store::sign_out();
        self.identity.set(None);
        self.version.update(|v| *v += 1);
        self.load();
    }
}

/// Creates the session for the app and loads it.
pub fn provide_session() -> Session {
    let session = Session::new();
    provide_context(session);
    session.load();
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Header control: "ACLs off", "Sign in", or who is signed in with "Sign out".
#[component]
pub fn SessionControl() -> impl IntoView {
    let session = use_session();
    view! {
        <div class="session">
            {move || match (session.acl.get(), session.identity.get()) {
                (AclState::Off, _) => view! { <span class="chip" title="This cluster runs without ACLs: no token is needed">"ACLs off"</span> }.into_any(),
                (_, Some(identity)) => {
                    let policies = identity.policy_names().join(", ");
                    view! {
                        <span class="chip" data-testid="signed-in" title=format!("Policies: {}", if policies.is_empty() { "none".into() } else { policies })>
                            "Signed in: " {identity.display_name()}
                        </span>
                        <button type="button" class="header-button" on:click=move |_| session.sign_out()
                            title=token_store::uses_remembered().then_some("Also forgets the token remembered on this browser")>"Sign out"</button>
                    }.into_any()
                }
                (_, None) => view! {
                    <button type="button" class="header-button" on:click=move |_| session.sign_in_open.set(true)>"Sign in"</button>
                }.into_any(),
            }}
        </div>
    }
    .into_any()
}

/// The sign-in panel: a masked token field, show/hide, and "remember on this browser".
#[component]
pub fn SignInPanel() -> impl IntoView {
    let session = use_session();
    let token = RwSignal::new(String::new());
    let shown = RwSignal::new(false);
    let remember = RwSignal::new(false);
    let check = Action::new_local(|token: &String| {
        let token = token.clone();
        async move {
            token_self(Some(&token))
                .await
                .map(|identity| (token, identity))
        }
    });
    Effect::new(move |_| {
        if let Some(Ok((secret, identity))) = check.value().get() {
            session.signed_in(&secret, remember.get_untracked(), identity);
            token.set(String::new());
            check.value().set(None);
        }
    });
    // Focus the token field whenever the panel opens.
    let token_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if session.sign_in_open.get() {
            if let Some(el) = token_ref.get() {
                let _ = el.focus();
            }
        }
    });
    // Checked before anything is sent; the typed text stays in the field either way.
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match clean_token(&token.get_untracked()) {
            Ok(secret) => {
                problem.set(None);
                if !check.pending().get_untracked() {
                    check.dispatch(secret);
                }
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    view! {
        <Show when=move || session.sign_in_open.get()>
            <div class="sign-in-panel" role="dialog" aria-label="Sign in with an ACL token"
                on:keydown=move |ev| if ev.key() == "Escape" { session.sign_in_open.set(false) }>
                <form on:submit=submit>
                    <h2>"Sign in with an ACL token"</h2>
                    <p class="help">"The token is sent only to this Consul, in the X-Consul-Token header. It is kept for this tab unless you choose to remember it."</p>
                    <p class="help">"Signing in for this tab leaves a token remembered on this browser in place for other tabs."</p>
                    <label for="acl-token">"ACL token (SecretID)"</label>
                    <div class="token-field">
                        <input id="acl-token" node_ref=token_ref type=move || if shown.get() { "text" } else { "password" } autocomplete="off" spellcheck="false"
                            aria-invalid=move || problem.with(Option::is_some).to_string() aria-describedby="acl-token-error"
                            prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev)) />
                        <button type="button" class="secondary" aria-pressed=move || shown.get().to_string() on:click=move |_| shown.update(|s| *s = !*s)>
                            {move || if shown.get() { "Hide" } else { "Show" }}
                        </button>
                    </div>
                    {move || problem.get().map(|why| view! { <p id="acl-token-error" class="field-error" role="alert">{why}</p> })}
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=move || remember.get() on:change=move |ev| remember.set(event_target_checked(&ev)) />
                        "Remember on this browser"
                    </label>
                    {move || check.value().get().and_then(Result::err).map(|error: ApiError| {
                        if error.problem() == Problem::AclDisabled {
                            view! { <p class="notice" role="status">"ACLs are off on this cluster: no token is needed."</p> }.into_any()
                        } else {
                            view! { <ErrorView error /> }.into_any()
                        }
                    })}
                    <div class="actions">
                        <button type="submit" disabled=move || check.pending().get() || token.get().trim().is_empty()>
                            {move || if check.pending().get() { "Checking…" } else { "Sign in" }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| session.sign_in_open.set(false)>"Cancel"</button>
                    </div>
                </form>
            </div>
        </Show>
    }
    .into_any()
}
