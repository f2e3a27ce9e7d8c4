//! Recording inside the sync's transaction. [`start`] creates TEMP triggers on the
//! writer's connection (only when the sync records: not for an organization's first
//! sync) that note every insert, delete and change of `raw` in a TEMP table; [`seal`]
//! turns the notes into the run's `changes` rows just before COMMIT and drops it all.
//!
//! Why TEMP triggers rather than triggers stored in the file: a trigger program runs for
//! every row its table writes, even to find out that it has nothing to do, and a sync
//! writes every object; stored triggers would tax the baseline sync and every other
//! writer of the file. Connection-local ones exist only while a sync records. Why the
//! notes keep old and new `raw` and the fields are compared here: small trigger bodies
//! are cheap per row, and serde_json compares values exactly (key order in nested objects
//! included), which SQL on JSON text cannot. The notes never reach the file.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::{collapse, label_of, Change, ChangeType, ENTITIES, RELATIONSHIPS};

/// The TEMP table of notes, in the order the writes happened.
const PENDING: &str = "history_pending";

/// Readies the writer's connection before its transaction begins. Every statement that
/// may fire a trigger keeps a statement journal of the pages it changes, and whether that
/// journal is in memory is fixed when the write transaction starts; with the default
/// temporary storage it spills to a file, which costs a system call per page and
/// statement. In memory, the notes are too.
pub fn prepare(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "temp_store", "MEMORY")
}

/// Starts recording for a sync of `organization_id`, unless it is the organization's first
/// stored sync: that one is the baseline, and recording it would store every object as
/// `added` (a full copy, which history must never hold). Returns whether it records.
pub fn start(conn: &Connection, organization_id: &str) -> rusqlite::Result<bool> {
    let recording: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sync_runs
                         WHERE organization_id = ?1 AND status IN ('complete', 'partial'))",
        params![organization_id],
        |r| r.get(0),
    )?;
    if recording {
        stop(conn)?;
        conn.execute_batch(&triggers())?;
    }
    Ok(recording)
}

/// Removes the TEMP table and triggers (a no-op when there are none).
fn stop(conn: &Connection) -> rusqlite::Result<()> {
    let names: Vec<(String, String)> = conn
        .prepare(
            "SELECT type, name FROM temp.sqlite_master
              WHERE (type = 'trigger' AND name LIKE 'history\\_%' ESCAPE '\\')
                 OR (type = 'table' AND name = ?1)",
        )?
        .query_map(params![PENDING], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, name) in names {
        // Names read from the temp schema, matched above: never user input.
        conn.execute_batch(&format!("DROP {} temp.\"{name}\"", kind.to_uppercase()))?;
    }
    Ok(())
}

/// The TEMP table and one trigger per table and event, from the kinds registry.
fn triggers() -> String {
    let mut sql = format!(
        "CREATE TEMP TABLE {PENDING} (
             seq     INTEGER PRIMARY KEY,
             kind    TEXT NOT NULL,
             id      TEXT NOT NULL,
             name    TEXT,
             change  TEXT NOT NULL,
             fields  TEXT,
             old_raw TEXT,
             new_raw TEXT
         );\n"
    );
    for (table, _) in ENTITIES {
        let label = |row| label_of(table, row).unwrap_or_else(|| "NULL".into());
        let (new, old) = (label("NEW."), label("OLD."));
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER history_{table}_added AFTER INSERT ON main.{table}
             BEGIN INSERT INTO {PENDING} (kind, id, name, change)
                   VALUES ('{table}', NEW.id, {new}, 'added'); END;
             CREATE TEMP TRIGGER history_{table}_modified AFTER UPDATE ON main.{table}
             WHEN NEW.raw IS NOT OLD.raw
             BEGIN INSERT INTO {PENDING} (kind, id, name, change, old_raw, new_raw)
                   VALUES ('{table}', NEW.id, {new}, 'modified', OLD.raw, NEW.raw); END;
             CREATE TEMP TRIGGER history_{table}_removed AFTER DELETE ON main.{table}
             BEGIN INSERT INTO {PENDING} (kind, id, name, change)
                   VALUES ('{table}', OLD.id, {old}, 'removed'); END;\n"
        ));
    }
    for r in RELATIONSHIPS {
        let (table, a, b) = (r.table, r.from_column, r.to_column);
        let fields = |row: &str, added: bool| {
            if r.columns.is_empty() {
                return "NULL".to_string();
            }
            let pairs: Vec<String> = r
                .columns
                .iter()
                .map(|c| match added {
                    true => format!("'{c}', json_array(NULL, {row}.{c})"),
                    false => format!("'{c}', json_array({row}.{c}, NULL)"),
                })
                .collect();
            format!("json_object({})", pairs.join(", "))
        };
        // A pair recorded from both ends appears with its first row, goes with its last.
        let (when_added, when_removed) = if r.both_sides {
            (
                format!(
                    "WHEN NOT EXISTS (SELECT 1 FROM main.{table} x WHERE x.{a} = NEW.{a}
                       AND x.{b} = NEW.{b} AND x.seen_from <> NEW.seen_from)"
                ),
                format!(
                    "WHEN NOT EXISTS (SELECT 1 FROM main.{table} x WHERE x.{a} = OLD.{a}
                       AND x.{b} = OLD.{b})"
                ),
            )
        } else {
            (String::new(), String::new())
        };
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER history_{table}_added AFTER INSERT ON main.{table} {when_added}
             BEGIN INSERT INTO {PENDING} (kind, id, change, fields)
                   VALUES ('{table}', NEW.{a} || ' ' || NEW.{b}, 'added', {}); END;
             CREATE TEMP TRIGGER history_{table}_removed AFTER DELETE ON main.{table} {when_removed}
             BEGIN INSERT INTO {PENDING} (kind, id, change, fields)
                   VALUES ('{table}', OLD.{a} || ' ' || OLD.{b}, 'removed', {}); END;\n",
            fields("NEW", true),
            fields("OLD", false),
        ));
    }
    sql
}

/// Turns the notes into the run's `changes` rows: the fields of each modification, one net
/// change per (kind, id) (an object stored twice, a link row deleted and inserted again),
/// readable names for relationships; counts them in `sync_runs.changes` and stops
/// recording. Must run in the sync's transaction after its run row is inserted; does
/// nothing when the sync does not record.
pub fn seal(conn: &Connection, sync_id: i64) -> rusqlite::Result<()> {
    let recording: bool = conn.query_row(
        "SELECT count(*) > 0 FROM temp.sqlite_master WHERE type = 'table' AND name = ?1",
        params![PENDING],
        |r| r.get(0),
    )?;
    if !recording {
        return Ok(());
    }
    // Runs of notes per (kind, id), in the order each was first touched.
    let mut runs: Vec<Vec<Change>> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    {
        let mut statement = conn.prepare(&format!(
            "SELECT kind, id, name, change, fields, old_raw, new_raw FROM temp.{PENDING} ORDER BY seq"
        ))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let change = ChangeType::parse(&row.get::<_, String>(3)?);
            let fields = match change {
                ChangeType::Modified => field_changes(
                    row.get::<_, Option<String>>(5)?.as_deref(),
                    row.get::<_, Option<String>>(6)?.as_deref(),
                ),
                _ => Change::parse_fields(row.get::<_, Option<String>>(4)?.as_deref()),
            };
            // Same values written differently: not a change.
            if change == ChangeType::Modified && fields.is_none() {
                continue;
            }
            let note = Change {
                sync_id: Some(sync_id),
                kind: row.get(0)?,
                id: row.get(1)?,
                name: row.get(2)?,
                change,
                fields,
            };
            let key = (note.kind.clone(), note.id.clone());
            match index.get(&key) {
                Some(&at) => runs[at].push(note),
                None => {
                    index.insert(key, runs.len());
                    runs.push(vec![note]);
                }
            }
        }
    }
    let mut changes: Vec<Change> = runs.iter().filter_map(|run| collapse(run)).collect();
    name_relationships(conn, &mut changes)?;
    let mut insert = conn.prepare(
        "INSERT INTO changes (sync_id, kind, id, name, change, fields) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for change in &changes {
        insert.execute(params![
            sync_id,
            change.kind,
            change.id,
            change.name,
            change.change.as_str(),
            change.fields_text()
        ])?;
    }
    conn.execute(
        "UPDATE sync_runs SET changes = ?2 WHERE id = ?1",
        params![sync_id, changes.len() as i64],
    )?;
    stop(conn)
}

/// The top-level fields of two API objects whose values differ, as `{field: [old, new]}`
/// in the old object's order then the new one's; `None` when they are equal as JSON. An
/// absent field counts as null; an object that is missing (an organization read without
/// permission) has no fields.
fn field_changes(old: Option<&str>, new: Option<&str>) -> Option<Map<String, Value>> {
    let (old, new) = (as_object(old), as_object(new));
    let mut changed = Map::new();
    for key in old.keys().chain(new.keys()) {
        if changed.contains_key(key) {
            continue;
        }
        let (before, after) = (
            old.get(key).unwrap_or(&Value::Null),
            new.get(key).unwrap_or(&Value::Null),
        );
        // serde_json compares objects regardless of key order.
        if before != after {
            changed.insert(
                key.clone(),
                Value::Array(vec![before.clone(), after.clone()]),
            );
        }
    }
    (!changed.is_empty()).then_some(changed)
}

/// `raw` as an object; anything else (which the decoders never store) as one field `raw`.
fn as_object(raw: Option<&str>) -> Map<String, Value> {
    let Some(text) = raw else {
        return Map::new();
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        Ok(other) => Map::from_iter([("raw".to_string(), other)]),
        Err(_) => Map::from_iter([("raw".to_string(), Value::String(text.to_string()))]),
    }
}

/// Gives each relationship change a readable name, `<label> -> <label>`: an end's label as
/// the sync leaves it, or as this sync or an earlier one recorded it when the end is gone,
/// or else its id. Done at the end rather than in the triggers because an end may be
/// stored after the relationship in the same sync.
fn name_relationships(conn: &Connection, changes: &mut [Change]) -> rusqlite::Result<()> {
    let recorded: HashMap<(String, String), String> = changes
        .iter()
        .filter_map(|c| Some(((c.kind.clone(), c.id.clone()), c.name.clone()?)))
        .collect();
    let label = |table: &str, id: &str| -> rusqlite::Result<String> {
        // Table names and label columns come from the registry, never from input.
        if let Some(sql) = label_of(table, "") {
            let current: Option<String> = conn
                .prepare_cached(&format!("SELECT {sql} FROM main.{table} WHERE id = ?1"))?
                .query_row(params![id], |r| r.get(0))
                .optional()?
                .flatten();
            if let Some(name) = current {
                return Ok(name);
            }
        }
        if let Some(name) = recorded.get(&(table.to_string(), id.to_string())) {
            return Ok(name.clone());
        }
        let earlier: Option<String> = conn
            .prepare_cached(
                "SELECT name FROM changes WHERE kind = ?1 AND id = ?2 AND name IS NOT NULL
                  ORDER BY sync_id DESC LIMIT 1",
            )?
            .query_row(params![table, id], |r| r.get(0))
            .optional()?;
        Ok(earlier.unwrap_or_else(|| id.to_string()))
    };
    for change in changes.iter_mut() {
        let Some(r) = RELATIONSHIPS.iter().find(|r| r.table == change.kind) else {
            continue;
        };
        let Some((from, to)) = change.id.split_once(' ') else {
            continue;
        };
        change.name = Some(format!("{} -> {}", label(r.from, from)?, label(r.to, to)?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LU: &str = "2026-01-01T00:00:00.000000Z";

    /// An inventory with one complete sync of `org`, so that the next one records.
    fn conn() -> Connection {
        let conn = crate::store::open_in_memory().unwrap();
        run(&conn);
        conn
    }

    /// Inserts a run row as `Writer::commit` does before sealing; returns its id.
    fn run(conn: &Connection) -> i64 {
        conn.execute(
            "INSERT INTO sync_runs (started_at, finished_at, organization_id, api_url, tool_version,
               schema_version, status, zones, counts, errors, unresolved, requests, retries, throttled)
             VALUES ('a', 'b', 'org', 'u', 'v', 3, 'complete', '[]', '{}', '[]', '{}', 0, 0, 0)",
            [],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    fn user(conn: &Connection, id: &str, raw: &str) {
        conn.execute(
            "INSERT INTO users (id, email, organization_id, lastupdated, raw)
             VALUES (?1, ?1 || '@example.com', 'org', ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET raw = excluded.raw, lastupdated = excluded.lastupdated",
            params![id, LU, raw],
        )
        .unwrap();
    }

    /// kind, id, name, change, fields of every stored change.
    type Stored = (String, String, Option<String>, String, Value);

    fn rows(conn: &Connection) -> Vec<Stored> {
        conn.prepare(
            "SELECT kind, id, name, change, fields FROM changes ORDER BY sync_id, kind, id",
        )
        .unwrap()
        .query_map([], |r| {
            let fields: Option<String> = r.get(4)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                fields.map_or(Value::Null, |f| serde_json::from_str(&f).unwrap()),
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn stored(kind: &str, id: &str, name: &str, change: &str, fields: Value) -> Stored {
        (
            kind.into(),
            id.into(),
            Some(name.into()),
            change.into(),
            fields,
        )
    }

    fn temp_objects(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM temp.sqlite_master", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn the_baseline_and_other_writers_record_nothing_and_have_no_trigger() {
        let conn = crate::store::open_in_memory().unwrap();
        assert!(
            !start(&conn, "org").unwrap(),
            "the first sync is the baseline"
        );
        assert_eq!(temp_objects(&conn), 0);
        user(&conn, "u1", r#"{"mfa": true}"#);
        let id = run(&conn);
        seal(&conn, id).unwrap();
        let counted: Option<i64> = conn
            .query_row("SELECT changes FROM sync_runs WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(counted, None);
        // Outside a sync nothing records either.
        user(&conn, "u1", r#"{"mfa": false}"#);
        assert!(rows(&conn).is_empty());
        let stored: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, 0, "the file holds no trigger");
    }

    #[test]
    fn modifications_name_the_fields_that_differ_as_json_values() {
        let conn = conn();
        user(
            &conn,
            "u1",
            r#"{"mfa": true, "tags": ["a"], "n": 1, "s": "x", "o": {"a": 1, "b": [1, 2]}, "gone": 5, "nul": null}"#,
        );
        assert!(start(&conn, "org").unwrap());
        // Same values, other formatting and key order: nothing.
        user(
            &conn,
            "u1",
            r#"{"tags":["a"],"mfa":true,"n":1,"s":"x","o":{"b":[1,2],"a":1},"gone":5,"nul":null}"#,
        );
        user(
            &conn,
            "u1",
            r#"{"mfa": false, "tags": ["a", "b"], "n": 1, "s": "y", "o": {"a": 2, "b": [1, 2]}, "new": null, "added": "z"}"#,
        );
        // Only `lastupdated` changes: nothing more.
        conn.execute("UPDATE users SET lastupdated = 'later'", [])
            .unwrap();
        seal(&conn, run(&conn)).unwrap();
        assert_eq!(
            rows(&conn),
            vec![stored(
                "users",
                "u1",
                "u1@example.com",
                "modified",
                json!({
                    "mfa": [true, false],
                    "tags": [["a"], ["a", "b"]],
                    "s": ["x", "y"],
                    "o": [{"a": 1, "b": [1, 2]}, {"a": 2, "b": [1, 2]}],
                    "gone": [5, null],
                    "added": [null, "z"]
                })
            )]
        );
        assert_eq!(temp_objects(&conn), 0, "sealing stops recording");
    }

    #[test]
    fn seal_collapses_counts_and_names() {
        let conn = conn();
        assert!(start(&conn, "org").unwrap());
        user(&conn, "u1", r#"{"mfa": true}"#);
        user(&conn, "u1", r#"{"mfa": false}"#);
        conn.execute_batch(
            "INSERT INTO groups (id, name, organization_id, lastupdated, raw) VALUES ('g1', 'ops', 'org', 'x', '{}');
             INSERT INTO user_member_of_group (user_id, group_id) VALUES ('u1', 'g1'), ('u9', 'g1');
             INSERT INTO instance_mounts_volume (instance_id, volume_id, position, boot) VALUES ('i1', 'v1', '0', 1);
             DELETE FROM instance_mounts_volume;
             INSERT INTO instance_mounts_volume (instance_id, volume_id, position, boot) VALUES ('i1', 'v1', '0', 1);
             INSERT INTO instance_mounts_volume (instance_id, volume_id, position, boot) VALUES ('i2', 'v2', '1', 0);",
        )
        .unwrap();
        let id = run(&conn);
        seal(&conn, id).unwrap();
        assert_eq!(
            rows(&conn),
            vec![
                stored("groups", "g1", "ops", "added", Value::Null),
                stored(
                    "instance_mounts_volume",
                    "i1 v1",
                    "i1 -> v1",
                    "added",
                    json!({"position": [null, "0"], "boot": [null, 1], "volume_type": [null, null]}),
                ),
                stored(
                    "instance_mounts_volume",
                    "i2 v2",
                    "i2 -> v2",
                    "added",
                    json!({"position": [null, "1"], "boot": [null, 0], "volume_type": [null, null]}),
                ),
                stored(
                    "user_member_of_group",
                    "u1 g1",
                    "u1@example.com -> ops",
                    "added",
                    Value::Null
                ),
                stored(
                    "user_member_of_group",
                    "u9 g1",
                    "u9 -> ops",
                    "added",
                    Value::Null
                ),
                stored("users", "u1", "u1@example.com", "added", Value::Null),
            ]
        );
        let counted: i64 = conn
            .query_row("SELECT changes FROM sync_runs WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(counted, 6);
    }

    #[test]
    fn a_removed_end_keeps_its_name() {
        let conn = conn();
        conn.execute_batch(
            "INSERT INTO groups (id, name, organization_id, lastupdated, raw) VALUES ('g1', 'ops', 'org', 'x', '{}');
             INSERT INTO user_member_of_group (user_id, group_id) VALUES ('u1', 'g1');",
        )
        .unwrap();
        start(&conn, "org").unwrap();
        conn.execute_batch("DELETE FROM user_member_of_group; DELETE FROM groups;")
            .unwrap();
        seal(&conn, run(&conn)).unwrap();
        let names: Vec<Option<String>> = rows(&conn).into_iter().map(|r| r.2).collect();
        assert_eq!(
            names,
            vec![Some("ops".to_string()), Some("u1 -> ops".to_string())]
        );
    }

    #[test]
    fn a_volume_mounted_elsewhere_is_a_removal_and_an_addition() {
        let conn = conn();
        conn.execute_batch(
            "INSERT INTO instance_mounts_volume (instance_id, volume_id, position, volume_type) VALUES ('i1', 'v1', '1', 'l_ssd');",
        )
        .unwrap();
        start(&conn, "org").unwrap();
        conn.execute_batch(
            "DELETE FROM instance_mounts_volume WHERE instance_id = 'i1';
             INSERT INTO instance_mounts_volume (instance_id, volume_id, position, volume_type) VALUES ('i2', 'v1', '2', 'l_ssd');",
        )
        .unwrap();
        seal(&conn, run(&conn)).unwrap();
        let found: Vec<(String, String)> = rows(&conn)
            .into_iter()
            .map(|(_, id, _, change, _)| (id, change))
            .collect();
        assert_eq!(
            found,
            vec![
                ("i1 v1".to_string(), "removed".to_string()),
                ("i2 v1".to_string(), "added".to_string())
            ]
        );
    }

    #[test]
    fn an_ip_seen_from_both_sides_is_one_relationship() {
        let conn = conn();
        start(&conn, "org").unwrap();
        conn.execute_batch(
            "INSERT INTO flexible_ip_identifies_instance VALUES ('ip1', 'i1', 'instance');
             INSERT INTO flexible_ip_identifies_instance VALUES ('ip1', 'i1', 'flexible_ip');",
        )
        .unwrap();
        seal(&conn, run(&conn)).unwrap();
        start(&conn, "org").unwrap();
        conn.execute_batch(
            "DELETE FROM flexible_ip_identifies_instance WHERE seen_from = 'instance';",
        )
        .unwrap();
        let one_side: i64 = conn
            .query_row("SELECT count(*) FROM temp.history_pending", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(one_side, 0, "one side left: still identified");
        conn.execute_batch("DELETE FROM flexible_ip_identifies_instance;")
            .unwrap();
        seal(&conn, run(&conn)).unwrap();
        let found: Vec<(String, String)> = rows(&conn)
            .into_iter()
            .map(|(_, id, _, change, _)| (id, change))
            .collect();
        assert_eq!(
            found,
            vec![
                ("ip1 i1".to_string(), "added".to_string()),
                ("ip1 i1".to_string(), "removed".to_string())
            ]
        );
    }

    #[test]
    fn every_entity_table_records_its_label() {
        let conn = conn();
        start(&conn, "org").unwrap();
        conn.execute_batch(
            "INSERT INTO organizations (id, name, lastupdated) VALUES ('o', 'Acme', 'x');
             INSERT INTO projects (id, name, organization_id, lastupdated, raw) VALUES ('p', 'prod', 'o', 'x', '{}');
             INSERT INTO users (id, email, organization_id, lastupdated, raw) VALUES ('u', 'a@b', 'o', 'x', '{}');
             INSERT INTO groups (id, name, organization_id, lastupdated, raw) VALUES ('g', 'ops', 'o', 'x', '{}');
             INSERT INTO applications (id, name, organization_id, lastupdated, raw) VALUES ('a', 'ci', 'o', 'x', '{}');
             INSERT INTO api_keys (id, description, organization_id, lastupdated, raw) VALUES ('k', 'deploy', 'o', 'x', '{}');
             INSERT INTO instances (id, name, zone, organization_id, lastupdated, raw) VALUES ('i', 'web', 'z', 'o', 'x', '{}');
             INSERT INTO flexible_ips (id, prefix, zone, organization_id, lastupdated, raw) VALUES ('f', '2001:db8::/64', 'z', 'o', 'x', '{}');
             INSERT INTO volumes (id, name, zone, api, organization_id, lastupdated, raw) VALUES ('v', 'data', 'z', 'block', 'o', 'x', '{}');
             INSERT INTO volume_snapshots (id, name, zone, api, organization_id, lastupdated, raw) VALUES ('s', 'daily', 'z', 'block', 'o', 'x', '{}');",
        )
        .unwrap();
        seal(&conn, run(&conn)).unwrap();
        let found = rows(&conn);
        assert_eq!(found.len(), ENTITIES.len());
        for (table, _) in ENTITIES {
            let label = label_of(table, "").unwrap();
            let expected: Option<String> = conn
                .query_row(&format!("SELECT {label} FROM {table}"), [], |r| r.get(0))
                .unwrap();
            let row = found.iter().find(|r| r.0 == *table).unwrap();
            assert!(expected.is_some(), "{table}");
            assert_eq!(row.2, expected, "{table}");
        }
    }

    #[test]
    fn fields_compare_as_json() {
        assert_eq!(
            field_changes(
                Some(r#"{"a": {"x": 1, "y": 2}}"#),
                Some(r#"{"a":{"y":2,"x":1}}"#)
            ),
            None
        );
        assert_eq!(
            field_changes(None, Some(r#"{"name": "Acme"}"#)).map(Value::Object),
            Some(json!({"name": [null, "Acme"]}))
        );
        assert_eq!(
            field_changes(Some("[1]"), Some("[2]")).map(Value::Object),
            Some(json!({"raw": [[1], [2]]}))
        );
    }
}
