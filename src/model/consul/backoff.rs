//! How live views slow down while Consul answers 429 (rate limited) or 5xx, and come back to
//! the normal pace after the first success.

/// Consecutive overloaded or failing answers, and the last status among them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    pub failures: u32,
    pub status: Option<u16>,
}

/// The most the pace is slowed: 2⁴ = 16 times the normal interval.
const MAX_DOUBLINGS: u32 = 4;

impl Backoff {
    /// After an answer: `status` is the HTTP status of a failure, `None` for a success or for a
    /// failure without one (those keep the normal pace: nothing says Consul is overloaded).
    pub fn after(self, status: Option<u16>) -> Self {
        match status {
            Some(code) if code == 429 || code >= 500 => Self {
                failures: self.failures.saturating_add(1),
                status: Some(code),
            },
            _ => Self::default(),
        }
    }

    /// What the operator sees while slowed down.
    pub fn describe(&self) -> Option<String> {
        let status = self.status?;
        let why = if status == 429 {
            "Consul is rate limiting (429)".to_string()
        } else {
            format!("Consul answered {status}")
        };
        let seconds = poll_delay_ms(5_000.0, *self) / 1000.0;
        Some(format!(
            "{why}: refreshing every {seconds:.0} s until it recovers"
        ))
    }
}

/// The wait before the next refresh: `interval` doubled per failure, at most 16 times.
pub fn poll_delay_ms(interval: f64, backoff: Backoff) -> f64 {
    interval * f64::from(1u32 << backoff.failures.min(MAX_DOUBLINGS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overload_slows_down_and_success_restores_the_pace() {
        let mut b = Backoff::default();
        assert_eq!(poll_delay_ms(5_000.0, b), 5_000.0);
        assert_eq!(b.describe(), None);
        b = b.after(Some(429));
        assert_eq!(poll_delay_ms(5_000.0, b), 10_000.0);
        assert_eq!(
            b.describe().as_deref(),
            Some("Consul is rate limiting (429): refreshing every 10 s until it recovers")
        );
        for _ in 0..10 {
            b = b.after(Some(503));
        }
        assert_eq!(poll_delay_ms(5_000.0, b), 80_000.0, "capped");
        assert!(b
            .describe()
            .is_some_and(|t| t.starts_with("Consul answered 503")));
        // A denial or a network error says nothing about load: normal pace.
        assert_eq!(b.after(Some(403)), Backoff::default());
        assert_eq!(b.after(None), Backoff::default());
    }
}
