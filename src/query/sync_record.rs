//! The plain-language warnings an auditor must see when the sync an audit reads was
//! partial, failed or never happened.

use crate::store::runs::SyncRecord;

/// What an auditor must be told about the data before reading any finding.
pub fn warnings(latest: Option<&SyncRecord>, stored: Option<&SyncRecord>) -> Vec<String> {
    let Some(latest) = latest else {
        return vec![
            "NO SYNC RECORDED: this inventory has no record of any sync; findings cover only whatever was written to it by other means"
                .to_string(),
        ];
    };
    let mut warnings = Vec::new();
    match latest.status.as_str() {
        "complete" => {}
        "partial" => {
            let failed = latest.failed_scopes();
            let list = if failed.is_empty() {
                String::new()
            } else {
                format!(" ({})", failed.join("; "))
            };
            warnings.push(format!(
                "PARTIAL SYNC: the last sync (#{}, finished {}) could not read {} part(s) of the organization{list}. Objects of those parts may be missing or out of date, so these findings may be incomplete.",
                latest.id,
                latest.finished_at,
                failed.len().max(1)
            ));
        }
        status => {
            let data = match stored {
                Some(s) => format!(
                    "the inventory still holds the data of sync #{} (finished {}, {})",
                    s.id, s.finished_at, s.status
                ),
                None => "no earlier sync stored any data".to_string(),
            };
            warnings.push(format!(
                "{} SYNC: the last sync (#{}, finished {}) did not complete (status {status}) and stored nothing; {data}. These findings describe that older state.",
                status.to_uppercase(),
                latest.id,
                latest.finished_at,
            ));
            if let Some(stored) = stored.filter(|s| s.status == "partial") {
                warnings.push(format!(
                    "PARTIAL SYNC: sync #{} could not read every part of the organization ({}); these findings may be incomplete.",
                    stored.id,
                    stored.failed_scopes().join("; ")
                ));
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn record(id: i64, status: &str, errors: Value) -> SyncRecord {
        SyncRecord {
            id,
            organization_id: Some("org".into()),
            organization_name: Some("Acme".into()),
            started_at: "2026-11-30T10:00:00.000000Z".into(),
            finished_at: "2026-11-30T10:01:00.000000Z".into(),
            status: status.into(),
            api_url: "http://x".into(),
            tool_version: "0.1.0".into(),
            zones: json!([]),
            counts: json!({}),
            errors,
            unresolved: json!({}),
            requests: 0,
            retries: 0,
            throttled: 0,
        }
    }

    #[test]
    fn a_complete_sync_needs_no_warning() {
        let r = record(1, "complete", json!([]));
        assert!(warnings(Some(&r), Some(&r)).is_empty());
        assert_eq!(r.organization(), "Acme (org)");
    }

    #[test]
    fn a_partial_sync_is_stated_plainly() {
        let r = record(
            2,
            "partial",
            json!([{"kind": "instances", "zone": "nl-ams-1", "status": "failed", "error": "HTTP 503"}]),
        );
        let w = warnings(Some(&r), Some(&r));
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with("PARTIAL SYNC: the last sync (#2"),
            "{}",
            w[0]
        );
        assert!(w[0].contains("instances nl-ams-1: HTTP 503"), "{}", w[0]);
    }

    #[test]
    fn a_failed_sync_points_at_the_data_actually_held() {
        let failed = record(3, "failed", json!([]));
        let stored = record(2, "complete", json!([]));
        let w = warnings(Some(&failed), Some(&stored));
        assert!(w[0].starts_with("FAILED SYNC"), "{}", w[0]);
        assert!(w[0].contains("data of sync #2"), "{}", w[0]);
        let w = warnings(Some(&failed), None);
        assert!(w[0].contains("no earlier sync stored any data"), "{}", w[0]);
        assert!(warnings(None, None)[0].starts_with("NO SYNC RECORDED"));
    }
}
