//! Recorded syncs, read back from `sync_runs` for `inv status` and `inv audit`.

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
    pub requests: i64,
    pub retries: i64,
    pub throttled: i64,
}

const SELECT: &str =
    "SELECT r.id, r.organization_id, o.name, r.started_at, r.finished_at, r.status,
        r.api_url, r.tool_version, r.zones, r.counts, r.errors, r.unresolved,
        r.requests, r.retries, r.throttled
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

/// The most recent sync attempts, newest first.
pub fn recent(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<SyncRecord>> {
    let mut statement = conn.prepare(&format!(
        "{SELECT} ORDER BY r.started_at DESC, r.id DESC LIMIT ?1"
    ))?;
    let rows = statement.query_map([limit], read)?;
    rows.collect()
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
        requests: row.get(12)?,
        retries: row.get(13)?,
        throttled: row.get(14)?,
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
