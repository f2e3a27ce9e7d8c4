//! API failures as a user can act on them, each naming the request (never the secret).

/// Why a request to the Scaleway API failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("{url}: authentication denied (HTTP 401{}): the secret key is wrong, expired or revoked; check SCW_SECRET_KEY or the secret_key of your scw profile", reason.as_ref().map(|r| format!(", reason: {r}")).unwrap_or_default())]
    Unauthorized { url: String, reason: Option<String> },
    #[error("{url}: permission denied (HTTP 403): {message}")]
    Forbidden { url: String, message: String },
    #[error("{url}: not found (HTTP 404): {message}")]
    NotFound { url: String, message: String },
    /// The product is not deployed in this zone (HTTP 501 "unknown service", or the 400
    /// answer naming an unknown zone).
    #[error("{url}: not available here ({message})")]
    Unavailable { url: String, message: String },
    #[error("{url}: HTTP {status}: {message}")]
    Status {
        url: String,
        status: u16,
        message: String,
    },
    #[error("{url}: still rate limited (HTTP 429) after {attempts} attempts")]
    Throttled { url: String, attempts: u32 },
    #[error("{url}: no answer within {seconds} s (tried {attempts} times)")]
    Timeout {
        url: String,
        seconds: u64,
        attempts: u32,
    },
    #[error("{url}: cannot reach the API ({detail}); check your network and SCW_API_URL")]
    Unreachable { url: String, detail: String },
    #[error("{url}: the connection failed after {attempts} attempts: {detail}")]
    Transport {
        url: String,
        detail: String,
        attempts: u32,
    },
    #[error("{url}: malformed response: {detail}")]
    Malformed { url: String, detail: String },
}

impl ApiError {
    /// Builds the error for a non-2xx answer from its status and body.
    pub fn from_response(url: &str, status: u16, body: &[u8]) -> ApiError {
        let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let field = |name: &str| {
            parsed
                .as_ref()
                .and_then(|v| v.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let kind = field("type");
        let mut message = field("message").unwrap_or_else(|| {
            let text = String::from_utf8_lossy(body).trim().to_string();
            if text.is_empty() {
                reqwest::StatusCode::from_u16(status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("no message")
                    .to_string()
            } else {
                text.chars().take(300).collect()
            }
        });
        if let Some(details) = parsed.as_ref().and_then(|v| v.get("details")) {
            if let Some(list) = details.as_array() {
                let parts: Vec<String> = list
                    .iter()
                    .map(|d| {
                        let get = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or("");
                        if !get("argument_name").is_empty() {
                            format!("{}: {}", get("argument_name"), get("help_message"))
                        } else {
                            format!("{} {}", get("action"), get("resource"))
                        }
                    })
                    .collect();
                if !parts.is_empty() {
                    message = format!("{message} ({})", parts.join("; "));
                }
            }
        }
        let url = url.to_string();
        match status {
            401 => ApiError::Unauthorized {
                url,
                reason: field("reason"),
            },
            403 => ApiError::Forbidden { url, message },
            404 => ApiError::NotFound { url, message },
            501 => ApiError::Unavailable { url, message },
            400 if unknown_zone(parsed.as_ref()) => ApiError::Unavailable { url, message },
            _ if message == "unknown service" => ApiError::Unavailable { url, message },
            _ => ApiError::Status {
                url,
                status,
                message: match kind {
                    Some(kind) => format!("{kind}: {message}"),
                    None => message,
                },
            },
        }
    }

    /// Whether the whole sync must stop (the credentials themselves are refused).
    pub fn is_fatal(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. })
    }
}

/// The 400 answer to a zone the product does not know: an `invalid_arguments` error
/// whose details name the `zone` argument.
fn unknown_zone(body: Option<&serde_json::Value>) -> bool {
    body.and_then(|v| v.get("details"))
        .and_then(|d| d.as_array())
        .is_some_and(|details| {
            details
                .iter()
                .any(|d| d.get("argument_name").and_then(|n| n.as_str()) == Some("zone"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_bodies_map_to_kinds() {
        let e = ApiError::from_response("u", 401, br#"{"message":"authentication is denied","method":"api_key","reason":"not_found","type":"denied_authentication"}"#);
        assert!(
            matches!(e, ApiError::Unauthorized { reason: Some(ref r), .. } if r == "not_found")
        );
        let e = ApiError::from_response("u", 403, br#"{"details":[{"action":"read","resource":"volume"}],"message":"insufficient permissions","type":"permissions_denied"}"#);
        assert_eq!(
            e.to_string(),
            "u: permission denied (HTTP 403): insufficient permissions (read volume)"
        );
        let e = ApiError::from_response("u", 501, br#"{"message": "unknown service"}"#);
        assert!(matches!(e, ApiError::Unavailable { .. }));
        let e = ApiError::from_response("u", 400, br#"{"type":"invalid_arguments","message":"invalid argument(s)","details":[{"argument_name":"zone","reason":"constraint","help_message":"unknown zone"}]}"#);
        assert!(matches!(e, ApiError::Unavailable { .. }));
        let e = ApiError::from_response("u", 429, b"");
        assert_eq!(e.to_string(), "u: HTTP 429: Too Many Requests");
        let e = ApiError::from_response("u", 502, b"<html>bad gateway</html>");
        assert!(e.to_string().contains("bad gateway"));
    }
}
