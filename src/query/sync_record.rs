//! The sync an audit was run on, read from `sync_runs`, and the plain-language warnings
//! an auditor must see when that sync was partial, failed or never happened.

use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::{json, Value};

/// One row of `sync_runs`, with the organization's name and its JSON columns parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncRecord {
    pub id: i64,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub started_at: String,
    pub finished_at: String,
    pub status: String,
    pub api_url: String,
    pub tool_version: String,
    pub zones: Value,
    pub counts: Value,
    pub errors: Value,
    pub unresolved: Value,
}

const SELECT: &str =
    "SELECT r.id, r.organization_id, o.name, r.started_at, r.finished_at, r.status,
        r.api_url, r.tool_version, r.zones, r.counts, r.errors, r.unresolved
   FROM sync_runs r LEFT JOIN organizations o ON o.id = r.organization_id";

/// The most recent sync attempt, whatever its outcome.
pub fn latest(conn: &Connection) -> rusqlite::Result<Option<SyncRecord>> {
    conn.query_row(
        &format!("{SELECT} ORDER BY r.started_at DESC, r.id DESC LIMIT 1"),
        [],
        read,
    )
    .optional()
}

/// The most recent sync whose data was kept (a failed sync stores nothing).
pub fn latest_stored(conn: &Connection) -> rusqlite::Result<Option<SyncRecord>> {
    conn.query_row(
        &format!(
            "{SELECT} WHERE r.status <> 'failed' ORDER BY r.started_at DESC, r.id DESC LIMIT 1"
        ),
        [],
        read,
    )
    .optional()
}

fn read(row: &Row<'_>) -> rusqlite::Result<SyncRecord> {
    Ok(SyncRecord {
        id: row.get(0)?,
        organization_id: row.get(1)?,
        organization_name: row.get(2)?,
        started_at: row.get(3)?,
        finished_at: row.get(4)?,
        status: row.get(5)?,
        api_url: row.get(6)?,
        tool_version: row.get(7)?,
        zones: parsed(row.get(8)?),
        counts: parsed(row.get(9)?),
        errors: parsed(row.get(10)?),
        unresolved: parsed(row.get(11)?),
    })
}

/// JSON text as JSON; text that is not JSON is kept as a string rather than lost.
fn parsed(text: String) -> Value {
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

impl SyncRecord {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "organization_id": self.organization_id,
            "organization_name": self.organization_name,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "api_url": self.api_url,
            "tool_version": self.tool_version,
            "zones": self.zones,
            "counts": self.counts,
            "errors": self.errors,
            "unresolved": self.unresolved,
        })
    }

    /// `Name (id)`, `id` or `unknown organization`.
    pub fn organization(&self) -> String {
        match (&self.organization_name, &self.organization_id) {
            (Some(name), Some(id)) if !name.is_empty() => format!("{name} ({id})"),
            (_, Some(id)) => id.clone(),
            _ => "unknown organization".to_string(),
        }
    }

    /// The scopes that failed, one `kind zone: error` text each.
    pub fn failed_scopes(&self) -> Vec<String> {
        let Some(errors) = self.errors.as_array() else {
            return Vec::new();
        };
        errors
            .iter()
            .map(|e| {
                let field = |name: &str| e.get(name).and_then(Value::as_str).unwrap_or("");
                let scope = match field("zone") {
                    "" => field("kind").to_string(),
                    zone => format!("{} {zone}", field("kind")),
                };
                match field("error") {
                    "" => scope,
                    error => format!("{scope}: {error}"),
                }
            })
            .collect()
    }
}

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
