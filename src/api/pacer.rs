//! Keeps the request rate under a budget that adapts to 429s: halves on one, then climbs
//! back quickly to just under the rate that drew it, and only slowly beyond.
//!
//! Scaleway's gateway answers excess requests with a bare 429 and no hint of its limit or
//! of its algorithm (token bucket, fixed or sliding window), so the only signals are the
//! 429s themselves and the rate at which they came.

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
    /// Just under the rate of the last 429: where recovery aims.
    ceiling: f64,
    next: Instant,
    last_decrease: Option<Instant>,
}

/// The slowest the pacer goes, however many 429s arrive.
const MIN_RATE: f64 = 1.0;
/// Requests are spaced this much wider than the budget: a limiter counting requests in a
/// sliding second would otherwise see the 101st of a 100/s budget arrive a fraction of a
/// millisecond early now and then (scheduling jitter), and answer 429.
const SPACING_MARGIN: f64 = 1.005;
/// After a 429, recovery aims this far under the rate that drew it.
const CEILING_FACTOR: f64 = 0.95;
/// Share of the distance to the ceiling regained after each successful request, and the
/// least regained (in requests per second).
const RECOVERY_SHARE: f64 = 0.1;
const RECOVERY_STEP: f64 = 0.5;
/// Requests per second the ceiling rises after each successful request: a limit that was
/// lowered for a while is found again, one 429 at a time.
const CEILING_STEP: f64 = 0.01;
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
                ceiling: max_rate,
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
            state.next = slot + Duration::from_secs_f64(SPACING_MARGIN / state.rate);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    pub fn on_success(&self) {
        let mut state = self.lock();
        state.ceiling = (state.ceiling + CEILING_STEP).min(self.max_rate);
        let step = ((state.ceiling - state.rate) * RECOVERY_SHARE).max(RECOVERY_STEP);
        state.rate = (state.rate + step).min(state.ceiling);
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
        state.ceiling = (state.rate * CEILING_FACTOR).max(MIN_RATE);
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
    async fn requests_are_spaced_just_wider_than_the_rate() {
        let pacer = Pacer::new(10.0);
        let start = Instant::now();
        for _ in 0..11 {
            pacer.wait().await;
        }
        // Ten intervals: never eleven requests within one second.
        assert!(start.elapsed() > Duration::from_secs(1));
        assert!(start.elapsed() < Duration::from_millis(1010));
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_halves_once_per_window() {
        let pacer = Pacer::new(100.0);
        pacer.on_throttled();
        pacer.on_throttled();
        assert_eq!(pacer.rate(), 50.0);
        tokio::time::advance(DECREASE_WINDOW).await;
        pacer.on_throttled();
        assert_eq!(pacer.rate(), 25.0);
    }

    #[tokio::test(start_paused = true)]
    async fn recovery_is_quick_to_just_under_the_limit_then_slow() {
        let pacer = Pacer::new(100.0);
        pacer.on_throttled();
        assert_eq!(pacer.rate(), 50.0);
        // Thirty answers bring the rate to within 2 of the ceiling (95) ...
        for _ in 0..30 {
            pacer.on_success();
        }
        assert!(
            pacer.rate() > 93.0 && pacer.rate() <= 95.5,
            "{}",
            pacer.rate()
        );
        // ... and the rate that drew the 429 is reached again only hundreds of answers later.
        for _ in 0..300 {
            pacer.on_success();
        }
        assert!(pacer.rate() < 100.0, "{}", pacer.rate());
        for _ in 0..1000 {
            pacer.on_success();
        }
        assert_eq!(pacer.rate(), 100.0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_lower_limit_is_learned() {
        // A gateway that throttles whenever requests come faster than 20/s: the rate
        // settles just under 20 with few 429s, instead of see-sawing from 100.
        let pacer = Pacer::new(100.0);
        let (mut throttled, mut sum_of_rates) = (0, 0.0);
        for request in 0..2000 {
            let rate = pacer.rate();
            tokio::time::advance(Duration::from_secs_f64(1.0 / rate)).await;
            let over = rate > 20.0;
            if over {
                pacer.on_throttled();
            } else {
                pacer.on_success();
            }
            if request >= 1000 {
                throttled += usize::from(over);
                sum_of_rates += rate;
            }
        }
        assert!(throttled < 20, "{throttled} of 1000 throttled");
        let mean = sum_of_rates / 1000.0;
        assert!(mean > 17.0 && mean <= 20.0, "{mean}");
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
