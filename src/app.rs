//! Router and layout.
use crate::browser;
use crate::components::app_link::{AppLink, RouterBase};
use crate::components::cluster::{provide_cluster, use_cluster};
use crate::components::notices::{provide_notices, NoticeList};
use crate::components::session::{provide_session, SessionControl, SignInPanel};
use crate::pages::checks::WhyExportPage;
use crate::pages::checks::WhyImportPage;
use crate::pages::exports::ExportsPage;
use crate::pages::failover::FailoverPage;
use crate::pages::gateways::GatewaysPage;
use crate::pages::intentions::IntentionsPage;
use crate::pages::intentions::{IntentionEditPage, IntentionNewPage};
use crate::pages::map::MapPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::peers::{
    AddPeerPage, AddressesPanel, ExportedPanel, FailoverPanel, FirstTab, ImportedPanel,
    IntentionsPanel, PeerDetailPage, PeersPage,
};
use crate::pages::unsafe_name::UnsafeNamePage;
use crate::routes::hooks::use_route;
use crate::routes::{patterns, title_of, PeerTab, Route};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use stylers_macro::style;

#[component]
pub fn App() -> impl IntoView {
    let base = browser::router_base_path();
    provide_context(RouterBase(base.clone()));
    provide_cluster();
    provide_session();
    provide_notices();
    view! {
        <Router base=base>
            <Header />
            <SignInPanel />
            <main id="main">
                <NoticeList />
                <TitleFollowsRoute />
                <RefuseUnsafeNames>
                // The patterns are the routes module's (`Route::parse` reads the same ones).
                <Routes fallback=NotFoundPage>
                    <Route path=patterns::HOME view=|| view! { <Redirect path=Route::peers().href() /> } />
                    <Route path=patterns::PEERS view=PeersPage />
                    <Route path=patterns::ADD_PEER view=AddPeerPage />
                    <Route path=patterns::WHY_EXPORT view=WhyExportPage />
                    <Route path=patterns::WHY_IMPORT view=WhyImportPage />
                    // The tabs are nested: the page (and its polling) stays mounted across them.
                    <ParentRoute path=patterns::PEER view=PeerDetailPage>
                        <Route path=patterns::INDEX view=FirstTab />
                        <Route path=PeerTab::Imported.pattern() view=ImportedPanel />
                        <Route path=PeerTab::Exported.pattern() view=ExportedPanel />
                        <Route path=PeerTab::Addresses.pattern() view=AddressesPanel />
                        <Route path=PeerTab::Intentions.pattern() view=IntentionsPanel />
                        <Route path=PeerTab::Failover.pattern() view=FailoverPanel />
                    </ParentRoute>
                    <Route path=patterns::EXPORTS view=ExportsPage />
                    <Route path=patterns::INTENTIONS view=IntentionsPage />
                    <Route path=patterns::GATEWAYS view=GatewaysPage />
                    <Route path=patterns::FAILOVER view=FailoverPage />
                    <Route path=patterns::MAP view=MapPage />
                    <Route path=patterns::NEW_INTENTION view=IntentionNewPage />
                    <Route path=patterns::EDIT_INTENTION view=IntentionEditPage />
                </Routes>
                </RefuseUnsafeNames>
            </main>
        </Router>
    }
}

/// A route whose name cannot go into an API path safely (`Route::Unsafe`) shows why instead of
/// its page, so no page of it mounts and nothing is requested for that name.
#[component]
fn RefuseUnsafeNames(children: ChildrenFn) -> impl IntoView {
    let route = use_route();
    let refused = Memo::new(move |_| match route.get() {
        Some(Route::Unsafe { what, name }) => Some((what, name)),
        _ => None,
    });
    move || match refused.get() {
        Some((what, name)) => view! { <UnsafeNamePage what name /> }.into_any(),
        None => children().into_any(),
    }
}

/// The document title names where the operator is, on every route (`Route::title`).
#[component]
fn TitleFollowsRoute() -> impl IntoView {
    let route = use_route();
    Effect::new(move |_| browser::set_title(&title_of(route.get().as_ref())));
}

/// Product name, the datacenter being operated on, and navigation.
#[component]
fn Header() -> impl IntoView {
    let class_name = style! {
        header {
            display: flex;
            align-items: center;
            gap: 1.5rem;
            padding: 0.6rem 1.25rem;
            background: var(--header-bg);
            color: var(--header-fg);
        }
        .product {
            font-weight: 700;
            font-size: 1.05rem;
            letter-spacing: 0.01rem;
        }
        .dc {
            font-family: var(--mono);
            font-size: 0.85rem;
            padding: 0.1rem 0.5rem;
            border-radius: var(--radius);
            background: var(--header-chip);
        }
        nav {
            display: flex;
            gap: 0.25rem;
        }
    };
    let cluster = use_cluster();
    let dc_label = move || cluster.datacenter_label();
    view! { class=class_name,
        <header>
            <span class="product">"Consul Peering Console"</span>
            <span class="dc" title="The datacenter this console operates on" data-testid="datacenter">{dc_label}</span>
            <nav aria-label="Main">
                <AppLink href=Route::peers()>"Peers"</AppLink>
                <AppLink href=Route::Map>"Map"</AppLink>
                <AppLink href=Route::exports()>"Exports"</AppLink>
                <AppLink href=Route::Intentions>"Intentions"</AppLink>
                <AppLink href=Route::failover()>"Failover"</AppLink>
                <AppLink href=Route::Gateways>"Gateways"</AppLink>
            </nav>
            <SessionControl />
        </header>
    }
}
