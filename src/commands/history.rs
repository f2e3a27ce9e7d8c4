//! `inv history KIND ID`: every recorded change of one entity (and of the relationships
//! it is an end of) or of one relationship, oldest first.

use rusqlite::types::Value;
use serde_json::json;

use crate::cli::{Format, HistoryArgs};
use crate::exit::{Failure, Status};
use crate::history::{self, read::check_kind, Timeline};
use crate::output::ResultSet;
use crate::store;

use super::diff::{change_json, csv_fields, fields_text, located};

pub fn run(args: HistoryArgs) -> Result<Status, Failure> {
    // Checked before the file is opened, so that a typo is reported as a typo.
    check_kind(&args.kind)?;
    let path = &args.db.db;
    let conn = store::open_read_only(path)?;
    let timeline = history::timeline(&conn, &args.kind, &args.id).map_err(|e| located(path, e))?;
    super::emit(&render(&timeline, args.format))?;
    Ok(Status::Ok)
}

pub fn render(timeline: &Timeline, format: Format) -> String {
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = timeline
                .entries
                .iter()
                .map(|(synced_at, change)| {
                    let mut row = json!({
                        "sync_id": change.sync_id,
                        "synced_at": synced_at,
                    });
                    if let (Some(row), serde_json::Value::Object(rest)) =
                        (row.as_object_mut(), change_json(change))
                    {
                        row.extend(rest.into_iter().filter(|(k, _)| k != "sync_id"));
                    }
                    row
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Csv => rows(timeline, csv_fields).render(Format::Csv),
        Format::Table | Format::Markdown => {
            let label = match &timeline.current {
                Some(Some(name)) => format!(" ({name})"),
                _ => String::new(),
            };
            let gone = match (&timeline.current, history::label_of(timeline.kind, "")) {
                (None, Some(_)) => ", no longer in the inventory",
                _ => "",
            };
            let mut out = format!(
                "{} {}{label}{gone}: {} recorded change(s)\n",
                timeline.kind,
                timeline.id,
                timeline.entries.len()
            );
            if timeline.entries.is_empty() {
                out.push_str(
                    "Nothing changed since the organization's first sync (the baseline, which records no history) or since history began.\n",
                );
                return out;
            }
            let table = format == Format::Table;
            if !table {
                out.push('\n');
            }
            out.push_str(&rows(timeline, |c| fields_text(c, table)).render(format));
            out
        }
    }
}

fn rows(timeline: &Timeline, fields: impl Fn(&history::Change) -> String) -> ResultSet {
    let text = |s: &str| Value::Text(s.to_string());
    ResultSet {
        columns: [
            "sync_id",
            "synced_at",
            "kind",
            "id",
            "name",
            "change",
            "fields",
        ]
        .map(String::from)
        .to_vec(),
        rows: timeline
            .entries
            .iter()
            .map(|(synced_at, c)| {
                vec![
                    c.sync_id.map_or(Value::Null, Value::Integer),
                    text(synced_at),
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
