//! Router and layout.
use crate::browser;
use crate::components::app_link::{AppLink, RouterBase};
use crate::components::cluster::{provide_cluster, use_cluster};
use crate::components::notices::{provide_notices, NoticeList};
use crate::components::session::{provide_session, SessionControl, SignInPanel};
use crate::pages::checks::export::WhyExportPage;
use crate::pages::checks::import::WhyImportPage;
use crate::pages::exports::list::ExportsPage;
use crate::pages::failover::list::FailoverPage;
use crate::pages::gateways::page::GatewaysPage;
use crate::pages::intentions::edit::{IntentionEditPage, IntentionNewPage};
use crate::pages::intentions::list::IntentionsPage;
use crate::pages::map::MapPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::peers::detail::PeerDetailPage;
use crate::pages::peers::list::PeersPage;
use crate::pages::peers::new::AddPeerPage;
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
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
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=|| view! { <Redirect path="/peers" /> } />
                    <Route path=path!("/peers") view=PeersPage />
                    <Route path=path!("/peers/new") view=AddPeerPage />
                    <Route path=path!("/peers/:name") view=PeerDetailPage />
                    <Route path=path!("/peers/:name/exported/:service") view=WhyExportPage />
                    <Route path=path!("/peers/:name/imported/:service") view=WhyImportPage />
                    <Route path=path!("/exports") view=ExportsPage />
                    <Route path=path!("/intentions") view=IntentionsPage />
                    <Route path=path!("/gateways") view=GatewaysPage />
                    <Route path=path!("/failover") view=FailoverPage />
                    <Route path=path!("/map") view=MapPage />
                    <Route path=path!("/intentions/new") view=IntentionNewPage />
                    <Route path=path!("/intentions/:destination/edit") view=IntentionEditPage />
                </Routes>
            </main>
        </Router>
    }
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
