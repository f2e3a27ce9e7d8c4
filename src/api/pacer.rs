//! Keeps the request rate under a budget that adapts: halves on a 429, recovers gradually.
//!
//! Scaleway's gateway answers excess requests with a bare 429 and no hint of its limit,
//! so the only signal is the 429 itself (additive increase, multiplicative decrease).

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A request-start scheduler shared by every request of a sync.
#[derive(Debug)]
pub struct Pacer {
    state: Mutex<State>,
    max_rate: f64,
}

#[derive(Debug)]
struct State {
    rate: f64,
    next: Instant,
    last_decrease: Option<Instant>,
}

/// The slowest the pacer goes, however many 429s arrive.
const MIN_RATE: f64 = 1.0;
/// Requests per second regained after each successful request.
const RECOVERY_STEP: f64 = 0.5;
/// 429s that arrive within this window after a decrease are answers to requests sent at
/// the old rate, so they do not halve the rate again.
const DECREASE_WINDOW: Duration = Duration::from_millis(500);

impl Pacer {
    /// A pacer starting at, and never exceeding, `max_rate` requests per second.
    pub fn new(max_rate: f64) -> Self {
        let max_rate = max_rate.max(MIN_RATE);
        Pacer {
            state: Mutex::new(State {
                rate: max_rate,
                next: Instant::now(),
                last_decrease: None,
            }),
            max_rate,
        }
    }

    /// Waits for this request's slot.
    pub async fn wait(&self) {
        let slot = {
            let mut state = self.lock();
            let now = Instant::now();
            let slot = state.next.max(now);
            state.next = slot + Duration::from_secs_f64(1.0 / state.rate);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    pub fn on_success(&self) {
        let mut state = self.lock();
        state.rate = (state.rate + RECOVERY_STEP).min(self.max_rate);
    }

    pub fn on_throttled(&self) {
        let mut state = self.lock();
        let now = Instant::now();
        if state
            .last_decrease
            .is_some_and(|at| now.duration_since(at) < DECREASE_WINDOW)
        {
            return;
        }
        state.rate = (state.rate / 2.0).max(MIN_RATE);
        state.last_decrease = Some(now);
        // Leave the gateway a moment of silence before the next request.
        state.next = state.next.max(now) + Duration::from_secs_f64(1.0 / state.rate);
    }

    /// The current budget in requests per second.
    pub fn rate(&self) -> f64 {
        self.lock().rate
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the state inconsistent.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_at_the_rate() {
        let pacer = Pacer::new(10.0);
        let start = Instant::now();
        for _ in 0..11 {
            pacer.wait().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_halves_once_per_window_and_success_recovers() {
        let pacer = Pacer::new(100.0);
        pacer.on_throttled();
        pacer.on_throttled();
        assert_eq!(pacer.rate(), 50.0);
        tokio::time::advance(DECREASE_WINDOW).await;
        pacer.on_throttled();
        assert_eq!(pacer.rate(), 25.0);
        for _ in 0..1000 {
            pacer.on_success();
        }
        assert_eq!(pacer.rate(), 100.0);
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_never_drops_below_the_floor() {
        let pacer = Pacer::new(4.0);
        for _ in 0..20 {
            pacer.on_throttled();
            tokio::time::advance(DECREASE_WINDOW).await;
        }
        assert_eq!(pacer.rate(), MIN_RATE);
    }
}
