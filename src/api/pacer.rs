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

    /// Waits for this request's slot, and returns it: the answer is reported with it.
    pub async fn wait(&self) -> Instant {
        let slot = {
            let mut state = self.lock();
            let now = Instant::now();
            let slot = state.next.max(now);
            state.next = slot + Duration::from_secs_f64(SPACING_MARGIN / state.rate);
            slot
        };
        tokio::time::sleep_until(slot).await;
        slot
    }

    /// Answers to requests sent before the last decrease tell about the old rate, not the
    /// current one: they neither lower it again nor raise it back.
    fn stale(state: &State, sent: Instant) -> bool {
        state.last_decrease.is_some_and(|at| sent < at)
    }

    /// A request sent at `sent` was answered.
    pub fn on_success(&self, sent: Instant) {
        let mut state = self.lock();
        if Self::stale(&state, sent) {
            return;
        }
        state.ceiling = (state.ceiling + CEILING_STEP).min(self.max_rate);
        let step = ((state.ceiling - state.rate) * RECOVERY_SHARE).max(RECOVERY_STEP);
        state.rate = (state.rate + step).min(state.ceiling);
    }

    /// A request sent at `sent` was answered 429.
    pub fn on_throttled(&self, sent: Instant) {
        let mut state = self.lock();
        if Self::stale(&state, sent) {
            return;
        }
        let now = Instant::now();
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

    /// Sends one request and reports its answer after `latency`.
    async fn answer(pacer: &Pacer, latency: Duration, throttled: bool) {
        let sent = pacer.wait().await;
        tokio::time::advance(latency).await;
        if throttled {
            pacer.on_throttled(sent);
        } else {
            pacer.on_success(sent);
        }
    }

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
    async fn only_answers_to_requests_sent_at_the_current_rate_count() {
        let pacer = Pacer::new(100.0);
        let early = pacer.wait().await;
        let later = pacer.wait().await;
        pacer.on_throttled(later);
        assert_eq!(pacer.rate(), 50.0);
        // Sent before the decrease: neither halves again nor recovers.
        pacer.on_throttled(early);
        pacer.on_success(early);
        assert_eq!(pacer.rate(), 50.0);
        // Sent after it, at 50/s: still too fast.
        let after = pacer.wait().await;
        pacer.on_throttled(after);
        assert_eq!(pacer.rate(), 25.0);
    }

    #[tokio::test(start_paused = true)]
    async fn recovery_is_quick_to_just_under_the_limit_then_slow() {
        let pacer = Pacer::new(100.0);
        answer(&pacer, Duration::ZERO, true).await;
        assert_eq!(pacer.rate(), 50.0);
        // Thirty answers bring the rate to within 2 of the ceiling (95) ...
        for _ in 0..30 {
            answer(&pacer, Duration::ZERO, false).await;
        }
        assert!(
            pacer.rate() > 93.0 && pacer.rate() <= 95.5,
            "{}",
            pacer.rate()
        );
        // ... and the rate that drew the 429 is reached again only hundreds of answers later.
        for _ in 0..300 {
            answer(&pacer, Duration::ZERO, false).await;
        }
        assert!(pacer.rate() < 100.0, "{}", pacer.rate());
        for _ in 0..1000 {
            answer(&pacer, Duration::ZERO, false).await;
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
            let over = rate > 20.0;
            answer(&pacer, Duration::from_millis(30), over).await;
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
            answer(&pacer, Duration::ZERO, true).await;
        }
        assert_eq!(pacer.rate(), MIN_RATE);
    }
}
