//! The schema's documentation (complete, exact, and identical to the README's) and
//! `inv status` on real inventory files.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::support::{db_in, inv, run, temp};

const BEGIN: &str = "<!-- schema:begin -->\n";
const END: &str = "<!-- schema:end -->";

fn readme() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The README's schema section: what lies between its two markers.
fn committed_schema(readme: &str) -> Option<(usize, usize)> {
    let start = readme.find(BEGIN)? + BEGIN.len();
    let end = start + readme[start..].find(END)?;
    Some((start, end))
}

#[test]
fn the_readme_schema_is_what_inv_schema_prints() {
    let home = temp();
    let (output, stdout, stderr) = run(inv(home.path()).args(["schema", "--format", "markdown"]));
    assert!(output.status.success(), "{stderr}");
    let text = std::fs::read_to_string(readme()).expect("README.md");
    let (start, end) = committed_schema(&text).expect("README.md has the schema markers");
    // `INV_BLESS=1 cargo test` rewrites the section after a deliberate schema change.
    if std::env::var_os("INV_BLESS").is_some() {
        let updated = format!("{}{}{}", &text[..start], stdout, &text[end..]);
        std::fs::write(readme(), updated).expect("README.md is writable");
        return;
    }
    let committed = &text[start..end];
    if committed != stdout {
        // Point at the first difference: the whole section is too long to compare by eye.
        let line = committed
            .lines()
            .zip(stdout.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(stdout.lines().count()));
        panic!(
            "README.md's schema section differs from `inv schema --format markdown` from its line {}:\n  \
             file:    {:?}\n  printed: {:?}\nregenerate it with INV_BLESS=1 cargo test the_readme_schema",
            line + 1,
            committed.lines().nth(line).unwrap_or("<end of section>"),
            stdout.lines().nth(line).unwrap_or("<end of output>"),
        );
    }
}

/// Every (table, column) of the inventory: tables and views, columns from
/// `PRAGMA table_info`, the table itself as column "". Refinery's history is its own.
fn schema_objects(conn: &rusqlite::Connection) -> BTreeSet<(String, String)> {
    let mut statement = conn
        .prepare(
            "SELECT m.name, '' FROM sqlite_master m
              WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%'
                AND m.name <> 'refinery_schema_history'
             UNION ALL
             SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
              WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%'
                AND m.name <> 'refinery_schema_history'",
        )
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn every_table_view_and_column_is_documented_and_nothing_else() {
    let conn = inv::store::open_in_memory().unwrap();
    let objects = schema_objects(&conn);
    let mut statement = conn
        .prepare("SELECT table_name, column_name, trim(description) FROM schema_doc")
        .unwrap();
    let docs: Vec<(String, String, String)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let documented: BTreeSet<(String, String)> = docs
        .iter()
        .map(|(t, c, _)| (t.clone(), c.clone()))
        .collect();

    let missing: Vec<_> = objects.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "undocumented (table, column): {missing:?}"
    );
    let stray: Vec<_> = documented.difference(&objects).collect();
    assert!(stray.is_empty(), "documentation of nothing: {stray:?}");
    let empty: Vec<_> = docs.iter().filter(|(_, _, d)| d.is_empty()).collect();
    assert!(empty.is_empty(), "empty descriptions: {empty:?}");
    // The check must not pass vacuously.
    assert!(objects.contains(&("edges".into(), "src_label".into())));
    assert!(objects.contains(&("schema_doc".into(), String::new())));
}

#[test]
fn entity_tables_name_their_seed_label() {
    let conn = inv::store::open_in_memory().unwrap();
    for (table, label) in [
        ("organizations", "ScalewayOrganization"),
        ("projects", "ScalewayProject"),
        ("users", "ScalewayUser"),
        ("groups", "ScalewayGroup"),
        ("applications", "ScalewayApplication"),
        ("api_keys", "ScalewayApiKey"),
        ("instances", "ScalewayInstance"),
        ("flexible_ips", "ScalewayFlexibleIp"),
        ("volumes", "ScalewayVolume"),
        ("volume_snapshots", "ScalewayVolumeSnapshot"),
    ] {
        let description: String = conn
            .query_row(
                "SELECT description FROM schema_doc WHERE table_name = ?1 AND column_name = ''",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            description.contains(&format!("seed label {label}")),
            "{table}: {description}"
        );
    }
}

#[test]
fn schema_prints_json_without_any_file() {
    let home = temp();
    let (output, stdout, stderr) = run(inv(home.path())
        .current_dir(home.path())
        .args(["schema", "--format", "json"]));
    assert!(output.status.success(), "{stderr}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert!(rows
        .iter()
        .any(|r| r["table"] == "api_keys" && r["column"] == "id"));
    // Nothing was created where it ran.
    assert_eq!(std::fs::read_dir(home.path()).unwrap().count(), 0);
}

#[test]
fn status_reports_the_last_sync_its_failures_and_counts() {
    let dir = temp();
    let db = db_in(&dir);
    let conn = inv::store::open_for_write(&db).unwrap();
    let org = "0b1e0000-0000-4000-8000-000000000001";
    conn.execute_batch(&format!(
        "INSERT INTO organizations (id, name, lastupdated) VALUES ('{org}', 'Acme', '2026-03-01T10:00:00.000000Z');
         INSERT INTO users (id, organization_id, lastupdated, raw)
           VALUES ('u1', '{org}', '2026-03-01T10:00:00.000000Z', '{{}}'),
                  ('u2', '{org}', '2026-03-01T10:00:00.000000Z', '{{}}'),
                  ('u3', 'another-org', '2026-03-01T10:00:00.000000Z', '{{}}');
         INSERT INTO instances (id, zone, organization_id, lastupdated, raw)
           VALUES ('i1', 'fr-par-1', '{org}', '2026-03-01T10:00:00.000000Z', '{{}}'),
                  ('i2', 'fr-par-1', '{org}', '2026-03-01T10:00:00.000000Z', '{{}}'),
                  ('i3', 'nl-ams-1', '{org}', '2026-03-01T10:00:00.000000Z', '{{}}');
         INSERT INTO sync_runs (started_at, finished_at, organization_id, api_url, tool_version,
             schema_version, status, zones, counts, errors, unresolved, requests, retries, throttled)
           VALUES ('2026-03-01T10:00:00.000000Z', '2026-03-01T10:00:07.500000Z', '{org}',
             'https://api.scaleway.com', '0.1.0', 2, 'partial', '[\"fr-par-1\",\"nl-ams-1\"]',
             '{{\"users\":2}}',
             '[{{\"kind\":\"flexible_ips\",\"zone\":\"nl-ams-1\",\"status\":\"failed\",\"objects\":0,\"pages\":1,\"error\":\"HTTP 500: internal error\"}}]',
             '{{\"user_has_api_key\":3}}', 42, 1, 0);
         INSERT INTO sync_scopes (sync_id, kind, zone, status, objects, pages, error)
           VALUES (1, 'block_volumes', 'it-mil-1', 'unavailable', 0, 0, NULL);"
    ))
    .unwrap();
    drop(conn);

    let (output, stdout, stderr) = run(inv(dir.path()).args(["status", "--db"]).arg(&db));
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains(&format!("schema version {}", inv::store::schema_version())),
        "{stdout}"
    );
    assert!(stdout.contains("partial"), "{stdout}");
    assert!(stdout.contains("7.5 s"), "{stdout}");
    assert!(stdout.contains("Acme (0b1e0000"), "{stdout}");
    assert!(
        stdout.contains("FAILED flexible_ips nl-ams-1: HTTP 500: internal error"),
        "{stdout}"
    );
    assert!(stdout.contains("block_volumes it-mil-1"), "{stdout}");
    assert!(stdout.contains("user_has_api_key 3"), "{stdout}");
    // Two users of the organization (not the other organization's), and the
    // instances per zone.
    let users = stdout.lines().find(|l| l.contains(" users ")).unwrap_or("");
    assert!(users.contains(" 2 "), "{stdout}");
    assert!(stdout.contains("fr-par-1 2, nl-ams-1 1"), "{stdout}");
}

#[test]
fn status_of_a_file_without_sync_says_so() {
    let dir = temp();
    let db = db_in(&dir);
    drop(inv::store::open_for_write(&db).unwrap());
    let (output, stdout, stderr) = run(inv(dir.path()).args(["status", "--db"]).arg(&db));
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("No sync recorded yet"), "{stdout}");
}

#[test]
fn status_of_a_missing_file_tells_to_sync() {
    let dir = temp();
    let db = db_in(&dir);
    let (output, stdout, stderr) = run(inv(dir.path()).args(["status", "--db"]).arg(&db));
    assert_eq!(output.status.code(), Some(5), "{stdout}{stderr}");
    assert!(stderr.contains("run `inv sync"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    // Asking must not create the file.
    assert!(!db.exists());
}
