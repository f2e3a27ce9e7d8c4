//! `inv diff`: what changed between two syncs, from the change history the syncs
//! recorded: one net change per entity or relationship, in any output format.

use std::fmt::Write as _;
use std::path::Path;

use rusqlite::types::Value;
use serde_json::json;

use crate::cli::{DiffArgs, Format};
use crate::exit::{Failure, Status};
use crate::history::{self, read::check_kind, Change, Diff, HistoryError};
use crate::output::ResultSet;
use crate::store::{self, StoreError};

pub fn run(args: DiffArgs) -> Result<Status, Failure> {
    // Kinds are checked before the file is opened, so that a typo is reported as a typo.
    let only = args
        .kind
        .iter()
        .map(|kind| check_kind(kind))
        .collect::<Result<Vec<_>, _>>()?;
    let path = &args.db.db;
    let conn = store::open_read_only(path)?;
    let range = history::read::range(&conn, args.from, args.to).map_err(|e| located(path, e))?;
    let diff = history::diff(&conn, range, &only).map_err(|e| located(path, e))?;
    super::emit(&render(&diff, args.format))?;
    Ok(Status::Ok)
}

/// A database error names the file, like every other error on it.
pub(crate) fn located(path: &Path, error: HistoryError) -> Failure {
    match error {
        HistoryError::Database(source) => StoreError::sqlite(path, source).into(),
        other => other.into(),
    }
}

/// The diff in one format: JSON and CSV alone (for pipes), the table and Markdown under a
/// line naming the two syncs.
pub fn render(diff: &Diff, format: Format) -> String {
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = diff.changes.iter().map(change_json).collect();
            let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Csv => {
            let mut rows = rows(&diff.changes, csv_fields);
            rows.columns.push("sync_id".into());
            for (row, change) in rows.rows.iter_mut().zip(&diff.changes) {
                row.push(change.sync_id.map_or(Value::Null, Value::Integer));
            }
            rows.render(Format::Csv)
        }
        Format::Table | Format::Markdown => {
            let (from, to) = (&diff.range.from, &diff.range.to);
            let organization = match &diff.range.organization_name {
                Some(name) => format!("{name} ({})", diff.range.organization_id),
                None => diff.range.organization_id.clone(),
            };
            let mut out = format!(
                "Changes from sync #{} ({}) to sync #{} ({}), organization {organization}: {}\n",
                from.id,
                from.started_at,
                to.id,
                to.started_at,
                diff.changes.len()
            );
            if diff.changes.is_empty() {
                return out;
            }
            let table = format == Format::Table;
            if !table {
                out.push('\n');
            }
            let _ = write!(
                out,
                "{}",
                rows(&diff.changes, |c| fields_text(c, table)).render(format)
            );
            out
        }
    }
}

/// The fields as JSON text for CSV, `{"field": {"old": ..., "new": ...}}`; empty when none.
pub(crate) fn csv_fields(change: &Change) -> String {
    match change.fields {
        Some(_) => change.fields_json().to_string(),
        None => String::new(),
    }
}

/// One change as `inv diff --format json` gives it.
pub(crate) fn change_json(change: &Change) -> serde_json::Value {
    json!({
        "kind": change.kind,
        "id": change.id,
        "name": change.name,
        "change": change.change.as_str(),
        "fields": change.fields_json(),
        "sync_id": change.sync_id,
    })
}

fn rows(changes: &[Change], fields: impl Fn(&Change) -> String) -> ResultSet {
    let text = |s: &str| Value::Text(s.to_string());
    ResultSet {
        columns: ["kind", "id", "name", "change", "fields"]
            .map(String::from)
            .to_vec(),
        rows: changes
            .iter()
            .map(|c| {
                vec![
                    text(&c.kind),
                    text(&c.id),
                    c.name.as_deref().map_or(Value::Null, text),
                    text(c.change.as_str()),
                    text(&fields(c)),
                ]
            })
            .collect(),
    }
}

/// The fields as a person reads them: `mfa: true → false; name: "a" → "b"`, values as
/// JSON; on the terminal long values are cut so that one change stays a few lines.
pub(crate) fn fields_text(change: &Change, shorten: bool) -> String {
    let Some(fields) = &change.fields else {
        return String::new();
    };
    let value = |v: &serde_json::Value| {
        let text = v.to_string();
        match text.char_indices().nth(60) {
            Some((cut, _)) if shorten => format!("{}…", &text[..cut]),
            _ => text,
        }
    };
    fields
        .iter()
        .map(|(key, pair)| {
            let (old, new) = history::old_new(pair);
            format!("{key}: {} → {}", value(old), value(new))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
