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
    /// When the ceiling last rose.
    ceiling_at: Instant,
    next: Instant,
    /// Counts decreases: a request is paced, and its answer judged, at the rate of the
    /// generation it was given its slot in.
    generation: u64,
    /// The rate that drew the last 429.
    throttled_at: Option<f64>,
    /// Whether a request paced at the current rate was answered without a 429.
    answered: bool,
}

/// The pacing of one request, to report its answer with.
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    generation: u64,
}

/// The slowest the pacer goes, however many 429s arrive.
const MIN_RATE: f64 = 1.0;
/// Requests are spaced this much wider than the budget: a limiter counting requests in a
/// sliding second would otherwise see the 101st of a 100/s budget arrive a fraction of a
/// millisecond early now and then (scheduling jitter), and answer 429.
const SPACING_MARGIN: f64 = 1.005;
/// After a 429, recovery aims this far under the rate that drew it; and when that rate is
/// within this factor of the rate of the previous 429 (the limit is known, and was only
/// probed), the rate drops to the ceiling instead of halving.
const CEILING_FACTOR: f64 = 0.95;
/// Share of the distance to the ceiling regained after each successful request, and the
/// least regained (in requests per second).
const RECOVERY_SHARE: f64 = 0.1;
const RECOVERY_STEP: f64 = 0.5;
/// Share of the budget the ceiling regains per second of successful requests: a limit that
/// was lower for a while (or a burst of 429s) costs seconds, not the rest of the sync.
const CEILING_GROWTH: f64 = 0.01;

impl Pacer {
    /// A pacer starting at, and never exceeding, `max_rate` requests per second.
    pub fn new(max_rate: f64) -> Self {
        let max_rate = max_rate.max(MIN_RATE);
        let now = Instant::now();
        Pacer {
            state: Mutex::new(State {
                rate: max_rate,
                ceiling: max_rate,
                ceiling_at: now,
                next: now,
                generation: 0,
                throttled_at: None,
                answered: false,
            }),
            max_rate,
        }
    }

    /// Waits for this request's slot. A request still waiting when the rate drops is given
    /// a new slot at the new rate: the old one was spaced for a rate that drew a 429.
    pub async fn wait(&self) -> Ticket {
        loop {
            let (slot, generation) = {
                let mut state = self.lock();
                let slot = state.next.max(Instant::now());
                state.next = slot + Duration::from_secs_f64(SPACING_MARGIN / state.rate);
                (slot, state.generation)
            };
            tokio::time::sleep_until(slot).await;
            if self.lock().generation == generation {
                return Ticket { generation };
            }
        }
    }

    /// The request of `ticket` was answered.
    pub fn on_success(&self, ticket: Ticket) {
        let mut state = self.lock();
        // Answers to requests paced before the last decrease tell about the old rate.
        if ticket.generation != state.generation {
            return;
        }
        state.answered = true;
        let now = Instant::now();
        let grown =
            self.max_rate * CEILING_GROWTH * now.duration_since(state.ceiling_at).as_secs_f64();
        state.ceiling = (state.ceiling + grown).min(self.max_rate);
        state.ceiling_at = now;
        let step = ((state.ceiling - state.rate) * RECOVERY_SHARE).max(RECOVERY_STEP);
        state.rate = (state.rate + step).min(state.ceiling);
    }

    /// The request of `ticket` was answered 429.
    pub fn on_throttled(&self, ticket: Ticket) {
        let mut state = self.lock();
        if ticket.generation != state.generation {
            return;
        }
        let now = Instant::now();
        let rate = state.rate;
        // Only after an answer at the current rate: 429s in a row with none in between say
        // the limit fell, and the rate halves. One answer is enough: a gateway's bucket
        // refuses a request or two after a probe now and then (at a 20/s limit, waiting
        // for ten answers made the sync 12 % slower).
        let probed = state.answered
            && state.throttled_at.is_some_and(|before| {
                rate >= before * CEILING_FACTOR && rate * CEILING_FACTOR <= before
            });
        state.generation += 1;
        state.answered = false;
        state.throttled_at = Some(rate);
        state.ceiling = (rate * CEILING_FACTOR).max(MIN_RATE);
        state.ceiling_at = now;
        state.rate = if probed {
            state.ceiling
        } else {
            (rate / 2.0).max(MIN_RATE)
        };
        // Slots handed out at the old rate are void; leave the gateway a moment of silence.
        state.next = now + Duration::from_secs_f64(1.0 / state.rate);
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
    use std::sync::Arc;

    use super::*;

    /// Sends one request and reports its answer after `latency`.
    async fn answer(pacer: &Pacer, latency: Duration, throttled: bool) {
        let ticket = pacer.wait().await;
        tokio::time::advance(latency).await;
        if throttled {
            pacer.on_throttled(ticket);
        } else {
            pacer.on_success(ticket);
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
    async fn only_answers_to_requests_paced_at_the_current_rate_count() {
        let pacer = Pacer::new(100.0);
        let early = pacer.wait().await;
        let later = pacer.wait().await;
        pacer.on_throttled(later);
        assert_eq!(pacer.rate(), 50.0);
        // Paced before the decrease: neither halves again nor recovers.
        pacer.on_throttled(early);
        pacer.on_success(early);
        assert_eq!(pacer.rate(), 50.0);
        // Paced after it, at 50/s: still too fast.
        let after = pacer.wait().await;
        pacer.on_throttled(after);
        assert_eq!(pacer.rate(), 25.0);
    }

    #[tokio::test(start_paused = true)]
    async fn requests_waiting_when_the_rate_drops_are_paced_anew() {
        let pacer = Arc::new(Pacer::new(100.0));
        let first = pacer.wait().await;
        let start = Instant::now();
        // Twenty requests queue for slots 10 ms apart ...
        let waiting: Vec<_> = (0..20)
            .map(|_| {
                let pacer = Arc::clone(&pacer);
                tokio::spawn(async move {
                    pacer.wait().await;
                    Instant::now()
                })
            })
            .collect();
        tokio::task::yield_now().await;
        // ... when the first is answered 429: they go out 20 ms apart instead.
        pacer.on_throttled(first);
        let mut sent = Vec::new();
        for task in waiting {
            sent.push(task.await.unwrap());
        }
        sent.sort();
        let last = sent[sent.len() - 1].duration_since(start);
        assert!(last >= Duration::from_millis(400), "{last:?}");
        for pair in sent.windows(2) {
            assert!(pair[1].duration_since(pair[0]) >= Duration::from_millis(20));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn recovery_is_quick_to_just_under_the_limit_then_slow() {
        let pacer = Pacer::new(100.0);
        answer(&pacer, Duration::ZERO, true).await;
        assert_eq!(pacer.rate(), 50.0);
        // Thirty answers (about half a second) bring the rate to within 2 of the
        // ceiling (95) ...
        for _ in 0..30 {
            answer(&pacer, Duration::ZERO, false).await;
        }
        assert!(
            pacer.rate() > 93.0 && pacer.rate() < 96.0,
            "{}",
            pacer.rate()
        );
        // ... and the budget is reached again some seconds later.
        for _ in 0..100 {
            answer(&pacer, Duration::ZERO, false).await;
        }
        assert!(pacer.rate() < 100.0, "{}", pacer.rate());
        for _ in 0..600 {
            answer(&pacer, Duration::ZERO, false).await;
        }
        assert_eq!(pacer.rate(), 100.0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_lower_limit_is_learned() {
        // A gateway that throttles whenever requests come faster than 20/s: the rate
        // settles just under 20, probing above it about once a second, instead of
        // see-sawing between 10 and 20.
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
        let mean = sum_of_rates / 1000.0;
        assert!(throttled < 80, "{throttled} of 1000 throttled");
        assert!(mean > 19.0 && mean <= 20.0, "{mean}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_limit_that_falls_after_it_was_learned_is_followed_at_once() {
        let pacer = Pacer::new(100.0);
        for _ in 0..1000 {
            let over = pacer.rate() > 60.0;
            answer(&pacer, Duration::from_millis(30), over).await;
        }
        assert!(pacer.rate() > 50.0, "{}", pacer.rate());
        // The limit falls to 12/s: every request is refused until the rate is under it.
        // The first 429 looks like one more probe of the known limit (5 % down); the next
        // ones, with no answer in between, halve: a few 429s, not dozens of 5 % steps.
        let mut throttled = 0;
        while pacer.rate() > 12.0 {
            answer(&pacer, Duration::from_millis(30), true).await;
            throttled += 1;
        }
        assert!(throttled <= 4, "{throttled} 429s to follow the limit down");
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
