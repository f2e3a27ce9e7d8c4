//! Authenticated GETs with pacing, timeouts and retries, and list-page envelopes.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::value::RawValue;

use super::error::ApiError;
use super::pacer::Pacer;
use super::retry::{is_transient, retry_after, RetryPolicy};

/// How the client talks to the API.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Base URL without trailing slash, e.g. `https://api.scaleway.com`.
    pub api_url: String,
    pub secret_key: SecretString,
    /// Request budget in requests per second (adapted down on 429).
    pub rate: f64,
    /// Time allowed for one request, body included.
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

/// Counters of what the client sent and received.
#[derive(Debug, Default)]
pub struct ClientStats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub throttled: AtomicU64,
}

impl ClientStats {
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }
}

/// One page of a listing.
#[derive(Debug)]
pub struct Page {
    pub items: Vec<Box<RawValue>>,
    /// The total the API announced (body `total_count` or `X-Total-Count`), if any.
    pub total: Option<u64>,
}

/// A cheap-to-clone handle on one HTTP connection pool, pacer and set of counters.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    options: Arc<ClientOptions>,
    pacer: Arc<Pacer>,
    stats: Arc<ClientStats>,
}

/// What one attempt produced.
enum Attempt<T> {
    Done(T),
    Retry {
        error: ApiError,
        wait: Option<Duration>,
    },
    Fail(ApiError),
}

impl Client {
    pub fn new(options: ClientOptions) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("inv/", env!("CARGO_PKG_VERSION")))
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .https_only(!options.api_url.starts_with("http://"))
            .build()
            .map_err(|e| ApiError::Unreachable {
                url: options.api_url.clone(),
                detail: e.to_string(),
            })?;
        Ok(Client {
            http,
            pacer: Arc::new(Pacer::new(options.rate)),
            options: Arc::new(options),
            stats: Arc::new(ClientStats::default()),
        })
    }

    pub fn stats(&self) -> &ClientStats {
        &self.stats
    }

    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    pub fn api_url(&self) -> &str {
        &self.options.api_url
    }

    /// GETs one object (`GET /iam/v1alpha1/users/{id}` ...).
    pub async fn get_object(&self, path: &str) -> Result<Box<RawValue>, ApiError> {
        self.get(path, &[], |url, _, body| {
            serde_json::from_slice::<Box<RawValue>>(body).map_err(|e| ApiError::Malformed {
                url: url.to_string(),
                detail: e.to_string(),
            })
        })
        .await
    }

    /// GETs one page of a listing whose items are under `list_key`.
    pub async fn get_page(
        &self,
        path: &str,
        query: &[(&str, String)],
        list_key: &str,
    ) -> Result<Page, ApiError> {
        self.get(path, query, |url, headers, body| {
            parse_page(body, list_key, headers).map_err(|detail| ApiError::Malformed {
                url: url.to_string(),
                detail,
            })
        })
        .await
    }

    /// Sends a GET until it succeeds, fails for good or runs out of attempts. A body that
    /// does not parse is retried too: truncated bodies are transport failures.
    async fn get<T>(
        &self,
        path: &str,
        query: &[(&str, String)],
        parse: impl Fn(&str, &reqwest::header::HeaderMap, &[u8]) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let shown = display_url(path, query);
        let url = format!("{}{}", self.options.api_url, path);
        let policy = self.options.retry;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self.attempt(&url, &shown, query, attempt, &parse).await;
            let (error, wait) = match outcome {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry { error, wait } => (error, wait),
            };
            if attempt >= policy.max_attempts {
                return Err(error);
            }
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            let wait = wait.unwrap_or_else(|| policy.backoff(attempt));
            tracing::debug!(url = %shown, attempt, wait_ms = wait.as_millis() as u64, %error, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt<T>(
        &self,
        url: &str,
        shown: &str,
        query: &[(&str, String)],
        attempt: u32,
        parse: &impl Fn(&str, &reqwest::header::HeaderMap, &[u8]) -> Result<T, ApiError>,
    ) -> Attempt<T> {
        let ticket = self.pacer.wait().await;
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let mut secret =
            reqwest::header::HeaderValue::from_str(self.options.secret_key.expose_secret())
                .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("invalid"));
        secret.set_sensitive(true);
        let sent = self
            .http
            .get(url)
            .query(query)
            .header("X-Auth-Token", secret)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => return self.transport_failure(shown, attempt, &error),
        };
        let status = response.status().as_u16();
        let request_id = header(response.headers(), "x-request-id");
        let wait = retry_after(header(response.headers(), "retry-after").as_deref());
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(error) => return self.transport_failure(shown, attempt, &error),
        };
        tracing::trace!(url = %shown, status, request_id = request_id.as_deref().unwrap_or(""), "response");
        if (200..300).contains(&status) {
            self.pacer.on_success(ticket);
            return match parse(shown, &headers, &body) {
                Ok(value) => Attempt::Done(value),
                Err(error) => Attempt::Retry { error, wait: None },
            };
        }
        let error = ApiError::from_response(shown, status, &body);
        if status == 429 {
            self.stats.throttled.fetch_add(1, Ordering::Relaxed);
            self.pacer.on_throttled(ticket);
            let error = ApiError::Throttled {
                url: shown.to_string(),
                attempts: attempt,
            };
            return Attempt::Retry { error, wait };
        }
        if is_transient(status) {
            return Attempt::Retry { error, wait };
        }
        Attempt::Fail(error)
    }

    fn transport_failure<T>(
        &self,
        shown: &str,
        attempt: u32,
        error: &reqwest::Error,
    ) -> Attempt<T> {
        let url = shown.to_string();
        let error = if error.is_timeout() {
            ApiError::Timeout {
                url,
                seconds: self.options.timeout.as_secs().max(1),
                attempts: attempt,
            }
        } else if error.is_connect() {
            ApiError::Unreachable {
                url,
                detail: root_cause(error),
            }
        } else {
            ApiError::Transport {
                url,
                detail: root_cause(error),
                attempts: attempt,
            }
        };
        Attempt::Retry { error, wait: None }
    }
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The innermost cause of a transport error, which is what tells the user something.
fn root_cause(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// The request as shown in messages: path and query, never the host's credentials.
fn display_url(path: &str, query: &[(&str, String)]) -> String {
    if query.is_empty() {
        return path.to_string();
    }
    let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{path}?{}", pairs.join("&"))
}

/// Splits a list body into its items and announced total. The total is in the body
/// (`total_count`) for Account, IAM and Block, in `X-Total-Count` for Instance.
pub(crate) fn parse_page(
    body: &[u8],
    list_key: &str,
    headers: &reqwest::header::HeaderMap,
) -> Result<Page, String> {
    let envelope: BTreeMap<String, Box<RawValue>> =
        serde_json::from_slice(body).map_err(|e| format!("not a JSON object: {e}"))?;
    let list = envelope
        .get(list_key)
        .ok_or_else(|| format!("no `{list_key}` list in the response"))?;
    let items: Vec<Box<RawValue>> = serde_json::from_str(list.get())
        .map_err(|e| format!("`{list_key}` is not a list of objects: {e}"))?;
    for item in &items {
        if !item.get().trim_start().starts_with('{') {
            return Err(format!(
                "`{list_key}` holds a non-object: {}",
                snippet(item.get())
            ));
        }
    }
    let body_total = match envelope.get("total_count") {
        Some(raw) => Some(
            serde_json::from_str::<u64>(raw.get())
                .map_err(|_| format!("`total_count` is not a count: {}", snippet(raw.get())))?,
        ),
        None => None,
    };
    let header_total = match headers.get("x-total-count") {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| "X-Total-Count is not a count".to_string())?,
        ),
        None => None,
    };
    Ok(Page {
        items,
        total: body_total.or(header_total),
    })
}

fn snippet(text: &str) -> String {
    text.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    #[test]
    fn both_envelopes_give_items_and_total() {
        let page = parse_page(
            br#"{"users":[{"id":"a"},{"id":"b"}],"total_count":7}"#,
            "users",
            &HeaderMap::new(),
        )
        .unwrap();
        assert_eq!((page.items.len(), page.total), (2, Some(7)));
        let mut headers = HeaderMap::new();
        headers.insert("x-total-count", "3".parse().unwrap());
        let page = parse_page(br#"{"servers": [{"id": "a"}]}"#, "servers", &headers).unwrap();
        assert_eq!((page.items.len(), page.total), (1, Some(3)));
        let page = parse_page(br#"{"rules": []}"#, "rules", &HeaderMap::new()).unwrap();
        assert_eq!(page.total, None);
    }

    #[test]
    fn broken_envelopes_are_errors() {
        let none = HeaderMap::new();
        assert!(parse_page(br#"{"users":[{"id":"a"}"#, "users", &none).is_err());
        assert!(parse_page(br#"{"servers":[]}"#, "users", &none).is_err());
        assert!(parse_page(br#"{"users":[1,2]}"#, "users", &none).is_err());
        assert!(parse_page(br#"{"users":[],"total_count":"x"}"#, "users", &none).is_err());
        assert!(parse_page(b"[]", "users", &none).is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn no_body_makes_page_parsing_panic(body in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_page(&body, "users", &reqwest::header::HeaderMap::new());
        }

        #[test]
        fn no_json_envelope_makes_page_parsing_panic(
            key in prop::sample::select(vec!["users", "total_count", "servers"]),
            value in "[\\[\\]{}0-9a-z\",:-]{0,40}",
        ) {
            let body = format!("{{\"{key}\": {value}}}");
            let _ = parse_page(body.as_bytes(), "users", &reqwest::header::HeaderMap::new());
        }

        #[test]
        fn no_error_body_makes_error_mapping_panic(status in 100u16..600, body in ".{0,80}") {
            let error = ApiError::from_response("/x", status, body.as_bytes());
            prop_assert!(!error.to_string().is_empty());
        }
    }
}
