//! Live views: Consul changes a peering's state without a Raft write, so blocking queries do not
//! wake on it. Views poll instead, at most one request in flight, paused while the tab is hidden
//! and refreshed at once when it comes back.
use crate::api::ApiError;
use crate::browser;
use crate::model::consul::backoff::{poll_delay_ms, Backoff};
use leptos::prelude::*;
use std::time::Duration;

/// How often a view refreshes while visible.
pub const POLL_INTERVAL_MS: f64 = 5_000.0;

#[derive(Clone, Copy)]
pub struct Poller {
    /// Bumped whenever the view should fetch again; `use_polled` tracks it in its fetch.
    pub tick: ReadSignal<u64>,
    set_tick: WriteSignal<u64>,
    in_flight: StoredValue<bool>,
    last_attempt: StoredValue<f64>,
    last_success: RwSignal<Option<f64>>,
    /// Consecutive answers saying Consul is overloaded (429) or failing (5xx).
    backoff: RwSignal<Backoff>,
    /// The browser clock, updated every second, for "updated N s ago".
    pub now: ReadSignal<f64>,
}

impl Poller {
    /// Wraps a fetch so the poller knows when one is in flight and when data last arrived.
    pub async fn track<T>(
        self,
        fut: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        self.in_flight.set_value(true);
        self.last_attempt.set_value(browser::now_ms());
        // Reset on drop too: a superseded fetch may be dropped, which must not stop polling.
        let _in_flight = InFlight(self.in_flight);
        let result = fut.await;
        // The next poll is measured from the answer: a request that took until its timeout is not
        // followed by another at once (its error stays on screen for a whole interval).
        self.last_attempt.set_value(browser::now_ms());
        if result.is_ok() {
            self.last_success.try_set(Some(browser::now_ms()));
        }
        let status = result.as_ref().err().and_then(ApiError::status);
        self.backoff.try_update(|b| *b = b.after(status));
        result
    }

    /// Fetch now (the Refresh button), unless a request is already running.
    pub fn refresh(self) {
        if !self.in_flight.get_value() {
            self.set_tick.update(|t| *t += 1);
        }
    }

    /// "Updated 4 s ago", or None before the first success; while backing off, says so.
    pub fn updated_label(self) -> Option<String> {
        if let Some(text) = self.backoff.with(Backoff::describe) {
            return Some(text);
        }
        let last = self.last_success.get()?;
        let secs = ((self.now.get() - last) / 1000.0).max(0.0) as i64;
        Some(if secs < 2 {
            "Updated just now".into()
        } else {
            format!("Updated {secs} s ago")
        })
    }
}

struct InFlight(StoredValue<bool>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.try_set_value(false);
    }
}

/// Starts polling for the lifetime of the calling component.
pub fn use_poller() -> Poller {
    let (tick, set_tick) = signal(0u64);
    let (now, set_now) = signal(browser::now_ms());
    let poller = Poller {
        tick,
        set_tick,
        in_flight: StoredValue::new(false),
        last_attempt: StoredValue::new(browser::now_ms()),
        last_success: RwSignal::new(None),
        backoff: RwSignal::new(Backoff::default()),
        now,
    };
    let was_hidden = StoredValue::new(false);
    let handle = set_interval_with_handle(
        move || {
            set_now.set(browser::now_ms());
            if browser::page_hidden() {
                was_hidden.set_value(true);
                return;
            }
            // Measured from the last attempt, so a failing Consul is not hammered every second.
            // Slower while Consul says it is overloaded or failing, back to normal after.
            let delay = poll_delay_ms(POLL_INTERVAL_MS, poller.backoff.get_untracked());
            let due = browser::now_ms() - poller.last_attempt.get_value() >= delay;
            if (due || was_hidden.get_value()) && !poller.in_flight.get_value() {
                was_hidden.set_value(false);
                set_tick.update(|t| *t += 1);
            }
        },
        Duration::from_secs(1),
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
    // After sign-in or sign-out, fetch again at once with the new token.
    {
        let session = crate::components::session::use_session();
        Effect::new(move |previous: Option<u64>| {
            let version = session.version.get();
            if previous.is_some_and(|p| p != version) {
                poller.refresh();
            }
            version
        });
    }
    poller
}
