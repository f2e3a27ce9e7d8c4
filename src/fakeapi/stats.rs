//! Request counters of the fake API (totals, per endpoint, per status, 429s, injected faults, concurrency), readable as a serializable snapshot.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    /// Every request received (including rate-limited ones).
    pub total_requests: u64,
    /// Requests per `"METHOD /path"` (path without query).
    pub by_endpoint: BTreeMap<String, u64>,
    /// Responses per HTTP status (a dropped connection counts as its status).
    pub by_status: BTreeMap<u16, u64>,
    /// 429s sent: rate limiter plus `too_many_requests` / `retry_after` rules.
    pub too_many_requests: u64,
    /// Other scripted faults applied (status, hang, drop, truncation, ...).
    pub injected_faults: u64,
    /// Highest number of requests being handled at the same time.
    pub max_in_flight: u64,
    /// Requests being handled now.
    pub in_flight: u64,
    /// Highest number of listings (distinct paths) with a request for a page after the
    /// first being handled at the same time: how many long listings a client reads at once.
    pub max_listings_past_first_page: u64,
}

impl StatsSnapshot {
    /// Sum of the requests whose `"METHOD /path"` contains `needle`.
    pub fn requests_matching(&self, needle: &str) -> u64 {
        self.by_endpoint
            .iter()
            .filter(|(k, _)| k.contains(needle))
            .map(|(_, n)| n)
            .sum()
    }

    /// Responses with this status.
    pub fn status_count(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

/// Live counters, shared by all request handlers.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    total: AtomicU64,
    too_many: AtomicU64,
    injected: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    /// Requests in flight for a page after the first, per path.
    later_pages: Mutex<HashMap<String, u64>>,
    max_listings_past_first_page: AtomicU64,
    by_endpoint: Mutex<HashMap<String, u64>>,
    by_status: Mutex<HashMap<u16, u64>>,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Decrements the in-flight counts when the request ends (even if cancelled).
pub(crate) struct InFlight<'a> {
    stats: &'a Stats,
    /// The path, for a request of a page after the first.
    later_page: Option<String>,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.stats.in_flight.fetch_sub(1, Ordering::Relaxed);
        if let Some(path) = self.later_page.take() {
            let mut later = locked(&self.stats.later_pages);
            if let Some(n) = later.get_mut(&path) {
                *n -= 1;
                if *n == 0 {
                    later.remove(&path);
                }
            }
        }
    }
}

/// Whether the query asks for a page after the first (`page=N`, N > 1).
fn later_page(query: &str) -> bool {
    query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("page="))
        .any(|n| n.parse::<u64>().is_ok_and(|n| n > 1))
}

impl Stats {
    /// Counts a new request and marks it in flight.
    pub(crate) fn begin(&self, method: &str, path: &str, query: &str) -> InFlight<'_> {
        self.total.fetch_add(1, Ordering::Relaxed);
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.max_in_flight.fetch_max(now, Ordering::Relaxed);
        let key = format!("{method} {path}");
        *locked(&self.by_endpoint).entry(key).or_insert(0) += 1;
        let later_page = later_page(query).then(|| {
            let mut later = locked(&self.later_pages);
            *later.entry(path.to_string()).or_insert(0) += 1;
            self.max_listings_past_first_page
                .fetch_max(later.len() as u64, Ordering::Relaxed);
            path.to_string()
        });
        InFlight {
            stats: self,
            later_page,
        }
    }

    pub(crate) fn status(&self, status: u16) {
        *locked(&self.by_status).entry(status).or_insert(0) += 1;
    }

    pub(crate) fn too_many(&self) {
        self.too_many.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn injected(&self) {
        self.injected.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            total_requests: self.total.load(Ordering::Relaxed),
            by_endpoint: locked(&self.by_endpoint)
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            by_status: locked(&self.by_status)
                .iter()
                .map(|(k, v)| (*k, *v))
                .collect(),
            too_many_requests: self.too_many.load(Ordering::Relaxed),
            injected_faults: self.injected.load(Ordering::Relaxed),
            max_in_flight: self.max_in_flight.load(Ordering::Relaxed),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            max_listings_past_first_page: self.max_listings_past_first_page.load(Ordering::Relaxed),
        }
    }

    /// Zeroes every counter except the in-flight count.
    pub(crate) fn reset(&self) {
        self.total.store(0, Ordering::Relaxed);
        self.too_many.store(0, Ordering::Relaxed);
        self.injected.store(0, Ordering::Relaxed);
        self.max_in_flight
            .store(self.in_flight.load(Ordering::Relaxed), Ordering::Relaxed);
        self.max_listings_past_first_page
            .store(locked(&self.later_pages).len() as u64, Ordering::Relaxed);
        locked(&self.by_endpoint).clear();
        locked(&self.by_status).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_concurrency() {
        let s = Stats::default();
        {
            let _a = s.begin("GET", "/a", "page=1");
            let _b = s.begin("GET", "/a", "page=1");
            s.status(200);
        }
        let _c = s.begin("GET", "/b", "");
        s.too_many();
        let snap = s.snapshot();
        assert_eq!(snap.total_requests, 3);
        assert_eq!(snap.max_in_flight, 2);
        assert_eq!(snap.in_flight, 1);
        assert_eq!(snap.requests_matching("/a"), 2);
        assert_eq!(snap.status_count(200), 1);
        assert_eq!(snap.too_many_requests, 1);
        s.reset();
        assert_eq!(s.snapshot().total_requests, 0);
        assert_eq!(s.snapshot().max_in_flight, 1);
    }

    #[test]
    fn listings_past_their_first_page_are_counted_by_path() {
        let s = Stats::default();
        {
            let _first = s.begin("GET", "/a", "organization=x&page=1");
            let _a2 = s.begin("GET", "/a", "organization=x&page=2");
            let _a3 = s.begin("GET", "/a", "page=3&per_page=100");
            assert_eq!(s.snapshot().max_listings_past_first_page, 1);
            let _b2 = s.begin("GET", "/b", "page=2");
            assert_eq!(s.snapshot().max_listings_past_first_page, 2);
        }
        // Finished listings no longer count; the maximum stays.
        let _c2 = s.begin("GET", "/c", "page=2");
        assert_eq!(s.snapshot().max_listings_past_first_page, 2);
        s.reset();
        assert_eq!(s.snapshot().max_listings_past_first_page, 1);
    }
}
