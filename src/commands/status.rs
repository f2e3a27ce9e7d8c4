//! `inv status`: what the inventory file holds, read-only: schema version, the last
//! syncs, what went wrong in the last one, and the rows per table and zone.

use std::fmt::Write as _;
use std::path::Path;

use chrono::DateTime;
use comfy_table::{presets, ContentArrangement, Table};
use rusqlite::{params, Connection, OptionalExtension};

use crate::cli::DbArgs;
use crate::config::ALL_ZONES;
use crate::exit::{Failure, Status};
use crate::kinds::{entity_tables, is_zonal_table};
use crate::store::runs::{self, SyncRecord};
use crate::store::{self, StoreError};

/// How many syncs the history shows.
const HISTORY: i64 = 5;

pub fn run(args: DbArgs) -> Result<Status, Failure> {
    let conn = store::open_read_only(&args.db)?;
    super::emit(&report(&conn, &args.db)?)?;
    Ok(Status::Ok)
}

/// The whole report as text.
pub fn report(conn: &Connection, path: &Path) -> Result<String, StoreError> {
    let sql = |e| StoreError::sqlite(path, e);
    let mut out = String::new();
    let version: i64 = conn
        .query_row(
            "SELECT coalesce(max(version), 0) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )
        .map_err(sql)?;
    let _ = writeln!(
        out,
        "Inventory {} (schema version {version})",
        path.display()
    );

    let runs = runs::recent(conn, HISTORY).map_err(sql)?;
    let organization = match runs.first() {
        None => {
            let _ = writeln!(
                out,
                "\nNo sync recorded yet: run `inv sync --db {}` to fill this file.",
                path.display()
            );
            None
        }
        Some(last) => {
            history(&mut out, &runs);
            last_sync(&mut out, conn, last).map_err(sql)?;
            last.organization_id.clone()
        }
    };

    out.push('\n');
    match &organization {
        Some(id) => {
            let _ = writeln!(
                out,
                "Rows for organization {}:",
                organization_label(conn, id)
            );
        }
        None => {
            let _ = writeln!(out, "Rows (all organizations):");
        }
    }
    counts(&mut out, conn, organization.as_deref()).map_err(sql)?;
    Ok(out)
}

fn history(out: &mut String, runs: &[SyncRecord]) {
    let _ = writeln!(out, "\nLast syncs (newest first):");
    let mut table = new_table([
        "sync",
        "started (UTC)",
        "duration",
        "organization",
        "status",
        "requests",
    ]);
    for run in runs {
        table.add_row(vec![
            format!("#{}", run.id),
            run.started_at.clone(),
            duration(&run.started_at, &run.finished_at),
            run.organization_id.clone().unwrap_or_else(|| "?".into()),
            run.status.clone(),
            run.requests.to_string(),
        ]);
    }
    let _ = writeln!(out, "{table}");
}

/// The failures, skipped scopes and unresolved references of the newest sync.
fn last_sync(out: &mut String, conn: &Connection, run: &SyncRecord) -> rusqlite::Result<()> {
    let organization = run
        .organization_id
        .as_deref()
        .map_or_else(|| "unknown".to_string(), |id| organization_label(conn, id));
    let _ = writeln!(
        out,
        "\nLast sync #{}: {}, organization {organization}; {} requests, {} retries, {} throttled",
        run.id, run.status, run.requests, run.retries, run.throttled
    );

    let failed = run.failed_scopes();
    if !run.errors.is_array() {
        // Shown as stored rather than hidden: it is still what the sync recorded.
        let shown = run
            .errors
            .as_str()
            .map_or_else(|| run.errors.to_string(), str::to_string);
        let _ = writeln!(out, "  errors (unreadable): {shown}");
    } else if failed.is_empty() {
        let _ = writeln!(out, "  no failed scope");
    } else {
        for scope in failed {
            let _ = writeln!(out, "  FAILED {scope}");
        }
        // Said because the rows an auditor reads next are older than this sync.
        match run.status.as_str() {
            "partial" => {
                let _ = writeln!(
                    out,
                    "  (the rows of failed scopes are those of earlier syncs)"
                );
            }
            "failed" => {
                let _ = writeln!(out, "  (the inventory holds what earlier syncs stored)");
            }
            _ => {}
        }
    }

    let mut statement = conn.prepare(
        "SELECT kind, zone FROM sync_scopes WHERE sync_id = ?1 AND status = 'unavailable'
          ORDER BY kind, zone",
    )?;
    let skipped: Vec<String> = statement
        .query_map(params![run.id], |r| {
            Ok(format!(
                "{} {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if !skipped.is_empty() {
        let _ = writeln!(
            out,
            "  not available in the zone (skipped): {}",
            skipped.join(", ")
        );
    }

    match run.unresolved.as_object() {
        Some(unresolved) if unresolved.is_empty() => {
            let _ = writeln!(
                out,
                "  every reference resolves to an object in the inventory"
            );
        }
        Some(unresolved) => {
            let refs: Vec<String> = unresolved
                .iter()
                .map(|(relation, n)| format!("{relation} {n}"))
                .collect();
            let _ = writeln!(
                out,
                "  references to objects not in the inventory: {}",
                refs.join(", ")
            );
        }
        // Shown as stored rather than hidden: it is still what the sync recorded.
        None => {
            let shown = run
                .unresolved
                .as_str()
                .map_or_else(|| run.unresolved.to_string(), str::to_string);
            let _ = writeln!(out, "  unresolved (unreadable): {shown}");
        }
    }
    Ok(())
}

/// Rows per entity table, and per zone for the tables that have one.
fn counts(out: &mut String, conn: &Connection, organization: Option<&str>) -> rusqlite::Result<()> {
    let mut table = new_table(["table", "rows", "per zone"]);
    for name in entity_tables() {
        // Table names come from the kinds registry, never from the file or the user.
        let owner = if name == "organizations" {
            "id"
        } else {
            "organization_id"
        };
        let filter = match organization {
            Some(_) => format!("WHERE {owner} = ?1"),
            // Keeps one statement shape: the bound NULL selects every row.
            None => "WHERE ?1 IS NULL".to_string(),
        };
        let total: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {name} {filter}"),
            params![organization],
            |r| r.get(0),
        )?;
        let per_zone = if is_zonal_table(name) {
            let mut statement = conn.prepare(&format!(
                "SELECT zone, count(*) FROM {name} {filter} GROUP BY zone"
            ))?;
            let mut zones: Vec<(String, i64)> = statement
                .query_map(params![organization], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            zones.sort_by_key(|(zone, _)| zone_order(zone));
            zones
                .iter()
                .map(|(zone, n)| format!("{zone} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            String::new()
        };
        table.add_row(vec![name.to_string(), total.to_string(), per_zone]);
    }
    let _ = writeln!(out, "{table}");
    Ok(())
}

/// Zones in the order `inv sync` lists them (by region), unknown ones after, by name.
fn zone_order(zone: &str) -> (usize, String) {
    let known = ALL_ZONES.iter().position(|z| *z == zone);
    (known.unwrap_or(ALL_ZONES.len()), zone.to_string())
}

/// The organization as `name (id)` when its name is known.
fn organization_label(conn: &Connection, id: &str) -> String {
    let name: Option<String> = conn
        .query_row(
            "SELECT name FROM organizations WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()
        .ok()
        .flatten()
        .flatten();
    match name {
        Some(name) if !name.is_empty() => format!("{name} ({id})"),
        _ => id.to_string(),
    }
}

/// Time between two stored timestamps, `?` when either cannot be read.
fn duration(started_at: &str, finished_at: &str) -> String {
    let (Ok(start), Ok(end)) = (
        DateTime::parse_from_rfc3339(started_at),
        DateTime::parse_from_rfc3339(finished_at),
    ) else {
        return "?".to_string();
    };
    let millis = (end - start).num_milliseconds().max(0);
    if millis < 60_000 {
        format!("{:.1} s", millis as f64 / 1000.0)
    } else {
        let seconds = millis / 1000;
        format!("{} min {:02} s", seconds / 60, seconds % 60)
    }
}

fn new_table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_person_would() {
        assert_eq!(
            duration("2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:12.340000Z"),
            "12.3 s"
        );
        assert_eq!(
            duration("2026-01-01T00:00:00.000000Z", "2026-01-01T00:02:05.000000Z"),
            "2 min 05 s"
        );
        assert_eq!(duration("soon", "later"), "?");
    }

    #[test]
    fn an_empty_inventory_says_there_was_no_sync() {
        let conn = store::open_in_memory().unwrap();
        let text = report(&conn, Path::new("x.db")).unwrap();
        assert!(text.contains("No sync recorded yet"), "{text}");
        assert!(text.contains("Rows (all organizations)"), "{text}");
    }

    #[test]
    fn unreadable_json_is_shown_not_fatal() {
        let conn = store::open_in_memory().unwrap();
        conn.execute(
            "INSERT INTO sync_runs (started_at, finished_at, organization_id, api_url, tool_version,
               schema_version, status, zones, counts, errors, unresolved, requests, retries, throttled)
             VALUES ('a', 'b', NULL, 'u', 'v', 2, 'failed', '[]', '{}', 'oops', '{', 1, 0, 0)",
            [],
        )
        .unwrap();
        let text = report(&conn, Path::new("x.db")).unwrap();
        assert!(text.contains("errors (unreadable): oops"), "{text}");
        assert!(text.contains("Rows (all organizations)"), "{text}");
    }
}
