//! Fault injection for the fake API: added latency, a gateway-like token-bucket rate limiter, and scripted per-path failures.
//!
//! Everything is off by default and (de)serializable, so tests and benchmarks
//! can pass faults as JSON:
//!
//! ```json
//! {"latency_ms": 20, "rate_limit": 50.0, "rules": [
//!   {"path": "/instance/v1/zones/fr-par-1/servers", "query": "page=2", "times": 2,
//!    "action": {"type": "status", "status": 503, "body": "no healthy upstream",
//!               "headers": {"content-type": "text/plain"}}},
//!   {"path": "/iam/v1alpha1/users", "after": 1, "times": 1,
//!    "action": {"type": "mutate", "json_pointer": "/users/0/mfa", "value": "yes"}}
//! ]}
//! ```
//!
//! Order of evaluation for one request, as a real gateway would do it:
//! 1. the rate limiter (an over-limit request gets the gateway 429 at once);
//! 2. the first matching rule: `too_many_requests` / `retry_after` answer at
//!    once, `hang` never answers;
//! 3. `latency_ms` is slept;
//! 4. `status` replaces the answer; the other actions transform the real
//!    answer (body-rewriting actions only touch 2xx answers).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Faults applied by the fake server. `Faults::default()` is "no fault".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Added to every answered request (not to gateway 429s).
    pub latency_ms: u64,
    /// Requests per second for the whole server, enforced like the Envoy
    /// gateway: a token bucket refilled at `rate_limit` tokens per second with
    /// a burst of `max(1, rate_limit / 10)` tokens (a tenth of a second of
    /// traffic: strict enough that a client firing requests in parallel gets
    /// 429s, loose enough that a client pacing itself at the rate never does).
    /// A request finding no token is answered immediately with 429, an empty
    /// body, `X-Envoy-Ratelimited: true`, no `Content-Type`, no `Retry-After`.
    /// Zero or a negative rate rejects every request.
    pub rate_limit: Option<f64>,
    /// Scripted failures; the first rule that matches a request and still
    /// has uses left applies.
    pub rules: Vec<FaultRule>,
}

/// One scripted failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Substring of the request path (without query); `""` matches all.
    pub path: String,
    /// Substring the raw query string must also contain, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Apply to this many matching requests (after the skipped ones); `None`
    /// = every matching request.
    #[serde(default)]
    pub times: Option<u64>,
    /// Let this many matching requests through untouched first.
    #[serde(default)]
    pub after: u64,
    pub action: FaultAction,
}

/// What a matching rule does. JSON form: `{"type": "<snake_case name>", ...fields}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer with this status, body and headers (after the latency). With a
    /// body and no `content-type` header, `application/json` is used; without
    /// a body there is no `Content-Type`.
    Status {
        status: u16,
        #[serde(default)]
        body: Option<String>,
        #[serde(default)]
        headers: BTreeMap<String, String>,
    },
    /// The gateway 429: empty body, `X-Envoy-Ratelimited: true`, at once.
    TooManyRequests,
    /// A 429 carrying `Retry-After: secs` (and the Envoy header), at once.
    RetryAfter { secs: u64 },
    /// Never answer (until the server shuts down): the client must time out.
    Hang,
    /// Send the status line, the headers (with the full `Content-Length`)
    /// and half of the real body, then close the connection.
    DropConnection,
    /// 200 with the real headers and the real body cut in half.
    TruncatedJson,
    /// 200 with a body that is not JSON.
    MalformedJson,
    /// The real answer with the value at `json_pointer` (RFC 6901) replaced
    /// or added, e.g. `/users/0/mfa` → `"yes"`, or `/total_count` → `1000`.
    Mutate { json_pointer: String, value: Value },
    /// The real answer with the value at `json_pointer` removed.
    Remove { json_pointer: String },
    /// The real answer with a header set, e.g. a wrong `X-Total-Count`.
    SetHeader { name: String, value: String },
    /// 200 with every top-level list emptied but the true total kept
    /// (`total_count` in the body, or the `X-Total-Count` header).
    EmptyPage,
}

impl Faults {
    /// No fault at all.
    pub fn none() -> Faults {
        Faults::default()
    }

    /// Adds latency to every request.
    pub fn with_latency(mut self, ms: u64) -> Faults {
        self.latency_ms = ms;
        self
    }

    /// Enables the rate limiter at `rps` requests per second.
    pub fn with_rate_limit(mut self, rps: f64) -> Faults {
        self.rate_limit = Some(rps);
        self
    }

    /// Appends a scripted rule.
    pub fn with_rule(mut self, rule: FaultRule) -> Faults {
        self.rules.push(rule);
        self
    }
}

impl FaultRule {
    /// A rule applying `action` to every request whose path contains `path`.
    pub fn new(path: &str, action: FaultAction) -> FaultRule {
        FaultRule {
            path: path.to_owned(),
            query: None,
            times: None,
            after: 0,
            action,
        }
    }

    /// Also require the raw query string to contain `query`.
    pub fn query(mut self, query: &str) -> FaultRule {
        self.query = Some(query.to_owned());
        self
    }

    /// Apply only to `n` matching requests.
    pub fn times(mut self, n: u64) -> FaultRule {
        self.times = Some(n);
        self
    }

    /// Skip the first `n` matching requests.
    pub fn after(mut self, n: u64) -> FaultRule {
        self.after = n;
        self
    }

    fn matches(&self, path: &str, query: &str) -> bool {
        path.contains(self.path.as_str()) && self.query.as_deref().is_none_or(|q| query.contains(q))
    }
}

fn json_status(status: u16, body: Value) -> FaultAction {
    FaultAction::Status {
        status,
        body: Some(body.to_string()),
        headers: BTreeMap::new(),
    }
}

fn text_status(status: u16, body: &str) -> FaultAction {
    FaultAction::Status {
        status,
        body: Some(body.to_owned()),
        headers: BTreeMap::from([("content-type".to_owned(), "text/plain".to_owned())]),
    }
}

impl FaultAction {
    /// Any status with a JSON body.
    pub fn status(status: u16, json_body: &str) -> FaultAction {
        FaultAction::Status {
            status,
            body: Some(json_body.to_owned()),
            headers: BTreeMap::new(),
        }
    }

    /// 403 `permissions_denied` for reading `resource` (e.g. `"volume"`).
    pub fn permissions_denied(resource: &str) -> FaultAction {
        json_status(
            403,
            serde_json::json!({
                "details": [{"action": "read", "resource": resource}],
                "message": "insufficient permissions",
                "type": "permissions_denied"
            }),
        )
    }

    /// 404 `not_found` (newer APIs' shape).
    pub fn not_found(resource: &str, resource_id: &str) -> FaultAction {
        json_status(
            404,
            serde_json::json!({
                "message": "resource is not found",
                "resource": resource,
                "resource_id": resource_id,
                "type": "not_found"
            }),
        )
    }

    /// 500 `{"type":"server_error","message":"Internal error"}`.
    pub fn server_error() -> FaultAction {
        json_status(
            500,
            serde_json::json!({"type": "server_error", "message": "Internal error"}),
        )
    }

    /// 502 as Envoy says it (plain text).
    pub fn bad_gateway() -> FaultAction {
        text_status(
            502,
            "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
        )
    }

    /// 503 as Envoy says it (plain text).
    pub fn service_unavailable() -> FaultAction {
        text_status(503, "no healthy upstream")
    }

    /// 504 as Envoy says it (plain text).
    pub fn gateway_timeout() -> FaultAction {
        text_status(504, "upstream request timeout")
    }

    /// 501 `{"message": "unknown service"}` (product absent in a locality).
    pub fn unknown_service() -> FaultAction {
        json_status(501, serde_json::json!({"message": "unknown service"}))
    }

    /// 401 `denied_authentication` (unknown or revoked key).
    pub fn denied_authentication() -> FaultAction {
        json_status(
            401,
            serde_json::json!({
                "message": "authentication is denied",
                "method": "api_key",
                "reason": "not_found",
                "type": "denied_authentication"
            }),
        )
    }

    /// Replace the value at a JSON pointer in the real body.
    pub fn mutate(json_pointer: &str, value: Value) -> FaultAction {
        FaultAction::Mutate {
            json_pointer: json_pointer.to_owned(),
            value,
        }
    }

    /// Whether this action is answered before the latency is applied.
    pub(crate) fn is_immediate(&self) -> bool {
        matches!(
            self,
            FaultAction::TooManyRequests | FaultAction::RetryAfter { .. } | FaultAction::Hang
        )
    }
}

/// Token bucket (see [`Faults::rate_limit`]).
#[derive(Debug)]
struct TokenBucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    fn new(rate: f64) -> TokenBucket {
        let capacity = (rate / 10.0).max(1.0);
        TokenBucket {
            rate,
            capacity,
            tokens: capacity,
            last: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        if self.rate <= 0.0 {
            return false;
        }
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The live state of a [`Faults`] value: rule counters and the bucket.
#[derive(Debug)]
pub(crate) struct FaultState {
    pub(crate) faults: Faults,
    counters: Vec<AtomicU64>,
    bucket: Option<Mutex<TokenBucket>>,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> FaultState {
        let counters = faults.rules.iter().map(|_| AtomicU64::new(0)).collect();
        let bucket = faults
            .rate_limit
            .filter(|r| !r.is_nan() && r.is_finite())
            .map(|r| Mutex::new(TokenBucket::new(r)));
        FaultState {
            faults,
            counters,
            bucket,
        }
    }

    /// Whether the rate limiter lets this request through.
    pub(crate) fn admit(&self) -> bool {
        match &self.bucket {
            None => true,
            Some(b) => match b.lock() {
                Ok(mut guard) => guard.take(),
                Err(poisoned) => poisoned.into_inner().take(),
            },
        }
    }

    /// The action of the first rule matching and still active, counting the
    /// request against every rule it matches up to the applied one.
    pub(crate) fn pick(&self, path: &str, query: &str) -> Option<&FaultAction> {
        for (rule, counter) in self.faults.rules.iter().zip(&self.counters) {
            if !rule.matches(path, query) {
                continue;
            }
            let n = counter.fetch_add(1, Ordering::Relaxed);
            if n < rule.after {
                continue;
            }
            if rule.times.is_some_and(|t| n - rule.after >= t) {
                continue;
            }
            return Some(&rule.action);
        }
        None
    }
}

/// The real body cut in half.
pub(crate) fn truncate(body: &[u8]) -> Vec<u8> {
    body[..body.len() / 2].to_vec()
}

/// A body that is not JSON (what a confused proxy might send with a 200).
pub(crate) fn malformed() -> Vec<u8> {
    b"{\"servers\": [{\"id\": \"8c1e3a5c-<html><body>502 Bad Gateway</body></html>".to_vec()
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Replaces (or adds) the value at `pointer`; `None` when the body is not
/// JSON or the pointer's parent does not exist.
pub(crate) fn mutate(body: &[u8], pointer: &str, value: &Value) -> Option<Vec<u8>> {
    let mut doc: Value = serde_json::from_slice(body).ok()?;
    if pointer.is_empty() {
        return serde_json::to_vec(value).ok();
    }
    let (parent, last) = pointer.rsplit_once('/')?;
    let last = unescape(last);
    match doc.pointer_mut(parent)? {
        Value::Object(m) => {
            m.insert(last, value.clone());
        }
        Value::Array(a) => {
            if last == "-" {
                a.push(value.clone());
            } else {
                let i: usize = last.parse().ok()?;
                *a.get_mut(i)? = value.clone();
            }
        }
        _ => return None,
    }
    serde_json::to_vec(&doc).ok()
}

/// Removes the value at `pointer`; `None` when absent.
pub(crate) fn remove(body: &[u8], pointer: &str) -> Option<Vec<u8>> {
    let mut doc: Value = serde_json::from_slice(body).ok()?;
    let (parent, last) = pointer.rsplit_once('/')?;
    let last = unescape(last);
    match doc.pointer_mut(parent)? {
        Value::Object(m) => {
            m.shift_remove(&last)?;
        }
        Value::Array(a) => {
            let i: usize = last.parse().ok()?;
            if i >= a.len() {
                return None;
            }
            a.remove(i);
        }
        _ => return None,
    }
    serde_json::to_vec(&doc).ok()
}

/// Every top-level list emptied, everything else (the total) kept.
pub(crate) fn empty_page(body: &[u8]) -> Option<Vec<u8>> {
    let mut doc: Value = serde_json::from_slice(body).ok()?;
    for v in doc.as_object_mut()?.values_mut() {
        if let Value::Array(a) = v {
            a.clear();
        }
    }
    serde_json::to_vec(&doc).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_count_after_and_times() {
        let f = Faults::none()
            .with_rule(
                FaultRule::new("/servers", FaultAction::Hang)
                    .after(1)
                    .times(2),
            )
            .with_rule(FaultRule::new("/", FaultAction::TooManyRequests).query("page=2"));
        let st = FaultState::new(f);
        assert_eq!(st.pick("/x/servers", ""), None);
        assert_eq!(st.pick("/x/servers", ""), Some(&FaultAction::Hang));
        assert_eq!(st.pick("/x/servers", ""), Some(&FaultAction::Hang));
        assert_eq!(st.pick("/x/servers", ""), None);
        assert_eq!(
            st.pick("/x/servers", "page=2"),
            Some(&FaultAction::TooManyRequests)
        );
        assert_eq!(st.pick("/ips", "page=1"), None);
    }

    #[test]
    fn faults_json_format() {
        let text = r#"{"latency_ms": 5, "rules": [
            {"path": "/iam", "times": 1, "action": {"type": "retry_after", "secs": 2}},
            {"path": "/block", "action": {"type": "status", "status": 500, "body": "{}"}},
            {"path": "/x", "action": {"type": "mutate", "json_pointer": "/a", "value": "yes"}},
            {"path": "/y", "action": {"type": "drop_connection"}}]}"#;
        let f: Result<Faults, _> = serde_json::from_str(text);
        let f = f.unwrap_or_default();
        assert_eq!(f.latency_ms, 5);
        assert_eq!(f.rate_limit, None);
        assert_eq!(f.rules.len(), 4);
        assert_eq!(f.rules[0].action, FaultAction::RetryAfter { secs: 2 });
        assert_eq!(f.rules[3].action, FaultAction::DropConnection);
        let back: Faults = serde_json::from_str(&serde_json::to_string(&f).unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(back, f);
    }

    #[test]
    fn token_bucket_bursts_then_limits() {
        let st = FaultState::new(Faults::none().with_rate_limit(50.0));
        let admitted = (0..20).filter(|_| st.admit()).count();
        assert!((5..=6).contains(&admitted), "admitted {admitted}");
        let none = FaultState::new(Faults::none().with_rate_limit(0.0));
        assert!(!none.admit());
    }

    #[test]
    fn body_rewrites() {
        let body = br#"{"users":[{"mfa":true}],"total_count":1}"#;
        let m = mutate(body, "/users/0/mfa", &json!("yes")).unwrap_or_default();
        assert_eq!(
            serde_json::from_slice::<Value>(&m).ok(),
            Some(json!({"users":[{"mfa":"yes"}],"total_count":1}))
        );
        let t = mutate(body, "/total_count", &json!(7)).unwrap_or_default();
        assert!(String::from_utf8_lossy(&t).contains("\"total_count\":7"));
        assert_eq!(mutate(body, "/nope/x", &json!(1)), None);
        let r = remove(body, "/users/0/mfa").unwrap_or_default();
        assert_eq!(r, br#"{"users":[{}],"total_count":1}"#.to_vec());
        let e = empty_page(body).unwrap_or_default();
        assert_eq!(e, br#"{"users":[],"total_count":1}"#.to_vec());
        assert!(serde_json::from_slice::<Value>(&truncate(body)).is_err());
        assert!(serde_json::from_slice::<Value>(&malformed()).is_err());
    }
}
