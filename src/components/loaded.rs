//! The console's one way to load server state. A `Loaded` view of an endpoint:
//! - fetches at once and again after sign-in or sign-out (what the old token saw is dropped);
//! - optionally polls (`use_polled`): one request in flight, paused while the tab is hidden;
//! - keeps the last good answer through a failed refresh, with the failure beside it;
//! - renders through `LoadedView` (loading line, error with Retry, or the data).
use crate::api::{ApiError, Problem};
use crate::components::error_view::ErrorView;
use crate::components::loading::Loading;
use crate::components::polling::{use_poller, Poller};
use crate::components::session::use_session;
use leptos::prelude::*;
use std::future::Future;

pub struct Loaded<T: Send + Sync + 'static> {
    /// The last good answer (`None` before the first, and again after a sign-in or sign-out).
    pub data: RwSignal<Option<T>>,
    /// The last refresh's failure; cleared by the next success.
    pub error: RwSignal<Option<ApiError>>,
    /// Set when the view polls.
    pub poller: Option<Poller>,
    refetch: Callback<()>,
}

impl<T: Send + Sync + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Loaded<T> {}

/// Loads once, and again after each sign-in or sign-out. `fetch` may read signals: a change
/// fetches again.
pub fn use_loaded<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> Loaded<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    load(None, fetch)
}

/// Like [`use_loaded`], refreshed every few seconds while the tab is visible.
pub fn use_polled<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> Loaded<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    load(Some(use_poller()), fetch)
}

fn load<T, Fut>(poller: Option<Poller>, fetch: impl Fn() -> Fut + 'static) -> Loaded<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let data = RwSignal::new(None::<T>);
    let error = RwSignal::new(None::<ApiError>);
    let again = RwSignal::new(0u64);
    // Each fetch has a number: an answer that a newer fetch superseded is dropped.
    let latest = StoredValue::new(0u64);
    let session = use_session();
    // One effect per view, no async resource: it tracks what the fetch reads (and the poller's
    // tick, or the session), and writes the answer itself when it comes.
    Effect::new(move |previous: Option<u64>| {
        again.track();
        let version = match poller {
            // The poller fetches again after sign-in or sign-out itself.
            Some(p) => {
                p.tick.track();
                session.version.get_untracked()
            }
            None => session.version.get(),
        };
        // A new token may see less (or more): forget what the old one saw.
        if previous.is_some_and(|p| p != version) {
            data.set(None);
            error.set(None);
        }
        let answer = fetch();
        let number = latest.get_value() + 1;
        latest.set_value(number);
        leptos::task::spawn_local(async move {
            let result = match poller {
                Some(p) => p.track(answer).await,
                None => answer.await,
            };
            if latest.try_get_value() != Some(number) {
                return; // superseded, or the view is gone
            }
            match result {
                // Only a changed answer is written, so views stay mounted across identical polls.
                Ok(answer) => {
                    if error.with_untracked(Option::is_some) {
                        error.try_set(None);
                    }
                    if data.with_untracked(|d| d.as_ref() != Some(&answer)) {
                        data.try_set(Some(answer));
                    }
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
        version
    });
    let refetch = Callback::new(move |_| match poller {
        Some(p) => p.refresh(),
        None => again.update(|n| *n += 1),
    });
    Loaded {
        data,
        error,
        poller,
        refetch,
    }
}

/// What a loaded view is showing.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadState {
    Loading,
    Ready,
    /// No answer to show: the failure instead.
    Failed(ApiError),
}

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    pub fn refetch(self) {
        self.refetch.run(());
    }

    pub fn retry(self) -> Callback<()> {
        self.refetch
    }

    /// The last good answer, tracked.
    pub fn get(self) -> Option<T> {
        self.data.get()
    }

    /// What `LoadedView` needs, without the data's type (one view for every kind of data keeps
    /// the bundle small).
    pub fn status(self) -> LoadStatus {
        LoadStatus {
            has_data: Signal::derive(move || self.data.with(Option::is_some)),
            error: self.error,
            retry: self.refetch,
        }
    }
}

/// Whether a `Loaded` has an answer, its last failure, and how to retry.
#[derive(Clone, Copy)]
pub struct LoadStatus {
    has_data: Signal<bool>,
    error: RwSignal<Option<ApiError>>,
    retry: Callback<()>,
}

impl LoadStatus {
    pub fn state(self) -> LoadState {
        load_state(self.has_data.get(), self.error.get())
    }
}

fn load_state(has_data: bool, error: Option<ApiError>) -> LoadState {
    match (has_data, error) {
        (true, _) => LoadState::Ready,
        (false, Some(e)) => LoadState::Failed(e),
        (false, None) => LoadState::Loading,
    }
}

/// The loading line, the error with Retry, or `children` once there is an answer. `children`
/// render once and read the data themselves, so they stay mounted across refreshes.
/// `not_found` replaces the error view when Consul says the thing does not exist.
#[component]
pub fn LoadedView(
    loaded: LoadStatus,
    /// "the peering": for "Loading the peering…".
    what: &'static str,
    #[prop(optional)] not_found: Option<ViewFn>,
    children: ChildrenFn,
) -> impl IntoView {
    let has_not_found = not_found.is_some();
    // "It does not exist" wins over the last good answer: the thing is gone.
    let state = Memo::new(move |_| {
        let gone = has_not_found
            && loaded
                .error
                .with(|e| e.as_ref().is_some_and(|e| e.problem() == Problem::NotFound));
        (!gone).then(|| loaded.state())
    });
    let stale = move || {
        (state.get() == Some(LoadState::Ready))
            .then(|| loaded.error.get())
            .flatten()
            .map(|error| view! {
                <p class="notice warn" role="status">{format!("Showing the last known state: the latest refresh failed ({error}).")}</p>
            })
    };
    view! {
        {stale}
        {move || match state.get() {
            Some(LoadState::Loading) => view! { <Loading what=what /> }.into_any(),
            Some(LoadState::Ready) => children().into_any(),
            Some(LoadState::Failed(error)) => view! { <ErrorView error on_retry=loaded.retry /> }.into_any(),
            None => not_found.as_ref().map(|v| v.run()).into_any(),
        }}
    }
}
