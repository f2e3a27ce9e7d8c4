//! Reading the history: which syncs a diff compares (with the errors that say why a
//! range cannot be answered), the net changes between them, and one entity's timeline.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{collapse, kinds, Change, ChangeType, RELATIONSHIPS};

/// Why a diff or a timeline cannot be answered; all but `Database` are the user's to fix.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no sync #{id} in this inventory ({})", known_syncs(*.last))]
    UnknownSync { id: i64, last: Option<i64> },
    #[error("{}", unknown_kind(.kind, .suggestions))]
    UnknownKind {
        kind: String,
        suggestions: Vec<String>,
    },
    #[error("no sync has stored data in this inventory yet: run `inv sync` twice, then `inv diff` shows what changed between the two")]
    NoSync,
    #[error("sync #{id} stored nothing for any organization (it failed before the organization was known)")]
    NoOrganization { id: i64 },
    #[error("fewer than two syncs of organization {organization} before sync #{to}: the first sync of an organization is the baseline, and changes are recorded from the next one; run `inv sync` again")]
    OneSync { organization: String, to: i64 },
    #[error("--from #{from} must be an earlier sync than --to #{to}")]
    Order { from: i64, to: i64 },
    #[error("sync #{from} read organization {from_organization} and sync #{to} organization {to_organization}: a diff compares two syncs of one organization")]
    OtherOrganization {
        from: i64,
        to: i64,
        from_organization: String,
        to_organization: String,
    },
    #[error("sync #{id} recorded no changes (it was the organization's first sync, or ran before inv recorded history), so what changed before it is unknown; use --from {id} or later")]
    NotRecorded { id: i64 },
    #[error("no {kind} with id {id:?} in the inventory or its history")]
    UnknownEntity { kind: String, id: String },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
}

impl HistoryError {
    /// Whether the fault is the inventory file's rather than the user's input.
    pub fn is_database(&self) -> bool {
        matches!(self, HistoryError::Database(_))
    }
}

fn known_syncs(last: Option<i64>) -> String {
    match last {
        None => "it has no sync yet".to_string(),
        Some(last) => format!("the last is #{last}; `inv status` lists the latest ones"),
    }
}

fn unknown_kind(kind: &str, suggestions: &[String]) -> String {
    let hint = match suggestions {
        [] => format!("kinds are {}", kinds().join(", ")),
        [one] => format!("did you mean {one}?"),
        many => format!("did you mean one of {}?", many.join(", ")),
    };
    format!("unknown kind {kind:?}: a kind is the name of an entity table or of a relationship's table; {hint}")
}

/// Checks a kind given by the user, suggesting the closest names on a typo.
pub fn check_kind(kind: &str) -> Result<&'static str, HistoryError> {
    if let Some(known) = kinds().into_iter().find(|k| *k == kind) {
        return Ok(known);
    }
    let mut close: Vec<(f64, &str)> = kinds()
        .into_iter()
        .map(|k| (strsim::jaro_winkler(kind, k), k))
        .filter(|(score, k)| *score > 0.8 || k.contains(kind) && kind.len() >= 3)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    Err(HistoryError::UnknownKind {
        kind: kind.to_string(),
        suggestions: close.iter().take(3).map(|(_, k)| k.to_string()).collect(),
    })
}

/// One sync as a diff names it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncRef {
    pub id: i64,
    pub started_at: String,
    pub organization_id: Option<String>,
    pub status: String,
    /// `sync_runs.changes`: NULL when the sync recorded no history.
    pub changes: Option<i64>,
}

const SYNC: &str = "SELECT id, started_at, organization_id, status, changes FROM sync_runs";

fn sync_ref(row: &Row<'_>) -> rusqlite::Result<SyncRef> {
    Ok(SyncRef {
        id: row.get(0)?,
        started_at: row.get(1)?,
        organization_id: row.get(2)?,
        status: row.get(3)?,
        changes: row.get(4)?,
    })
}

/// The two syncs a diff compares: the state after `from` and the state after `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub from: SyncRef,
    pub to: SyncRef,
    pub organization_id: String,
    /// Its name when the inventory knows it.
    pub organization_name: Option<String>,
}

/// Resolves `--from` and `--to`. By default `to` is the latest sync that stored data and
/// `from` the organization's stored sync before it; failed syncs in between stored
/// nothing and change nothing. Every stored sync after `from` must have recorded its
/// changes, or the diff would silently miss some.
pub fn range(conn: &Connection, from: Option<i64>, to: Option<i64>) -> Result<Range, HistoryError> {
    let to = match to {
        Some(id) => find_sync(conn, id)?,
        None => conn
            .query_row(
                &format!("{SYNC} WHERE status IN ('complete', 'partial') ORDER BY id DESC LIMIT 1"),
                [],
                sync_ref,
            )
            .optional()?
            .ok_or(HistoryError::NoSync)?,
    };
    let organization = to
        .organization_id
        .clone()
        .ok_or(HistoryError::NoOrganization { id: to.id })?;
    let from = match from {
        Some(id) => {
            let from = find_sync(conn, id)?;
            if from.id >= to.id {
                return Err(HistoryError::Order {
                    from: from.id,
                    to: to.id,
                });
            }
            match &from.organization_id {
                Some(other) if *other == organization => from,
                other => {
                    return Err(HistoryError::OtherOrganization {
                        from: from.id,
                        to: to.id,
                        from_organization: other.clone().unwrap_or_else(|| "none".into()),
                        to_organization: organization,
                    })
                }
            }
        }
        None => conn
            .query_row(
                &format!(
                    "{SYNC} WHERE organization_id = ?1 AND id < ?2
                       AND status IN ('complete', 'partial') ORDER BY id DESC LIMIT 1"
                ),
                params![organization, to.id],
                sync_ref,
            )
            .optional()?
            .ok_or_else(|| HistoryError::OneSync {
                organization: organization.clone(),
                to: to.id,
            })?,
    };
    let unrecorded: Option<i64> = conn
        .query_row(
            "SELECT min(id) FROM sync_runs
              WHERE organization_id = ?1 AND id > ?2 AND id <= ?3
                AND status IN ('complete', 'partial') AND changes IS NULL",
            params![organization, from.id, to.id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if let Some(id) = unrecorded {
        return Err(HistoryError::NotRecorded { id });
    }
    let organization_name = conn
        .query_row(
            "SELECT NULLIF(name, '') FROM organizations WHERE id = ?1",
            params![organization],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten();
    Ok(Range {
        from,
        to,
        organization_id: organization,
        organization_name,
    })
}

fn find_sync(conn: &Connection, id: i64) -> Result<SyncRef, HistoryError> {
    match conn
        .query_row(&format!("{SYNC} WHERE id = ?1"), params![id], sync_ref)
        .optional()?
    {
        Some(sync) => Ok(sync),
        None => Err(HistoryError::UnknownSync {
            id,
            last: conn.query_row("SELECT max(id) FROM sync_runs", [], |r| r.get(0))?,
        }),
    }
}

/// The net changes between two syncs.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub range: Range,
    pub changes: Vec<Change>,
}

/// What changed from the state after `range.from` to the state after `range.to`, one net
/// change per (kind, id), kinds in [`kinds`] order, then by id. `only` keeps those kinds.
pub fn diff(conn: &Connection, range: Range, only: &[&str]) -> Result<Diff, HistoryError> {
    let mut statement = conn.prepare(
        "SELECT c.sync_id, c.kind, c.id, c.name, c.change, c.fields
           FROM changes c JOIN sync_runs r ON r.id = c.sync_id
          WHERE c.sync_id > ?1 AND c.sync_id <= ?2 AND r.organization_id = ?3
          ORDER BY c.kind, c.id, c.sync_id",
    )?;
    let rows = statement.query_map(
        params![range.from.id, range.to.id, range.organization_id],
        change_row,
    )?;
    let mut runs: BTreeMap<(usize, String), Vec<Change>> = BTreeMap::new();
    let order = kinds();
    for row in rows {
        let change = row?;
        if !only.is_empty() && !only.contains(&change.kind.as_str()) {
            continue;
        }
        // Kinds the file holds but this build does not know sort last, by name.
        let rank = order
            .iter()
            .position(|k| *k == change.kind)
            .unwrap_or(order.len());
        runs.entry((rank, format!("{}\u{0}{}", change.kind, change.id)))
            .or_default()
            .push(change);
    }
    let changes = runs.values().filter_map(|run| collapse(run)).collect();
    Ok(Diff { range, changes })
}

fn change_row(row: &Row<'_>) -> rusqlite::Result<Change> {
    let fields: Option<String> = row.get(5)?;
    Ok(Change {
        sync_id: row.get(0)?,
        kind: row.get(1)?,
        id: row.get(2)?,
        name: row.get(3)?,
        change: ChangeType::parse(&row.get::<_, String>(4)?),
        fields: Change::parse_fields(fields.as_deref()),
    })
}

/// One entity's (or relationship's) recorded changes, oldest first, each with the start
/// time of the sync that recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub kind: &'static str,
    pub id: String,
    /// The entity's current label, when it is in the inventory.
    pub current: Option<Option<String>>,
    pub entries: Vec<(String, Change)>,
}

/// The timeline of `kind` `id`. For an entity it includes the changes of the
/// relationships it is an end of (a user joining a group, a key added to it); for a
/// relationship `id` is `"<end> <end>"` or either end alone.
pub fn timeline(conn: &Connection, kind: &str, id: &str) -> Result<Timeline, HistoryError> {
    let kind = check_kind(kind)?;
    let mut sql = String::from(
        "SELECT c.sync_id, c.kind, c.id, c.name, c.change, c.fields, r.started_at
           FROM changes c JOIN sync_runs r ON r.id = c.sync_id
          WHERE (c.kind = ?1 AND c.id = ?2)",
    );
    // `id` as either end of a relationship id: exact text comparisons, no LIKE patterns.
    let end = "(substr(c.id, 1, length(?2) + 1) = ?2 || ' ' OR substr(c.id, -length(?2) - 1) = ' ' || ?2)";
    let related: Vec<&str> = RELATIONSHIPS
        .iter()
        .filter(|r| r.table == kind || r.from == kind || r.to == kind)
        .map(|r| r.table)
        .collect();
    for table in &related {
        // Names come from the registry, never from input.
        sql.push_str(&format!(" OR (c.kind = '{table}' AND {end})"));
    }
    sql.push_str(" ORDER BY c.sync_id, c.kind <> ?1, c.kind, c.id");
    let mut statement = conn.prepare(&sql)?;
    let entries: Vec<(String, Change)> = statement
        .query_map(params![kind, id], |row| {
            Ok((row.get::<_, String>(6)?, change_row(row)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let current = match super::label_of(kind, "") {
        Some(label) => conn
            .query_row(
                &format!("SELECT {label} FROM {kind} WHERE id = ?1"),
                params![id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?,
        None => None,
    };
    if entries.is_empty() && current.is_none() {
        return Err(HistoryError::UnknownEntity {
            kind: kind.to_string(),
            id: id.to_string(),
        });
    }
    Ok(Timeline {
        kind,
        id: id.to_string(),
        current,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let conn = crate::store::open_in_memory().unwrap();
        for (org, status, changes) in [
            ("org", "complete", None),
            ("org", "failed", None),
            ("org", "partial", Some(2)),
            ("other", "complete", None),
            ("org", "complete", Some(1)),
        ] {
            conn.execute(
                "INSERT INTO sync_runs (started_at, finished_at, organization_id, api_url, tool_version,
                   schema_version, status, zones, counts, errors, unresolved, requests, retries,
                   throttled, changes)
                 VALUES ('t', 't', ?1, 'u', 'v', 3, ?2, '[]', '{}', '[]', '{}', 0, 0, 0, ?3)",
                params![org, status, changes],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO changes (sync_id, kind, id, name, change, fields) VALUES
               (3, 'users', 'u1', 'a@x', 'modified', '{\"mfa\": [true, false]}'),
               (3, 'user_member_of_group', 'u1 g1', 'a@x -> ops', 'added', NULL),
               (4, 'users', 'u9', 'z@y', 'added', NULL),
               (5, 'users', 'u1', 'a@x', 'modified', '{\"mfa\": [false, true]}'),
               (5, 'api_keys', 'k1', NULL, 'added', NULL);",
        )
        .unwrap();
        conn
    }

    #[test]
    fn the_default_range_is_the_last_two_stored_syncs_of_one_organization() {
        let conn = conn();
        let r = range(&conn, None, None).unwrap();
        assert_eq!((r.from.id, r.to.id), (3, 5));
        let d = diff(&conn, r, &[]).unwrap();
        let found: Vec<(&str, &str)> = d
            .changes
            .iter()
            .map(|c| (c.kind.as_str(), c.id.as_str()))
            .collect();
        assert_eq!(found, vec![("users", "u1"), ("api_keys", "k1")]);
        // A failed sync in between is crossed; the other organization's never counted.
        let r = range(&conn, Some(1), None).unwrap();
        let d = diff(&conn, r, &[]).unwrap();
        let found: Vec<(&str, &str)> = d
            .changes
            .iter()
            .map(|c| (c.kind.as_str(), c.id.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![("api_keys", "k1"), ("user_member_of_group", "u1 g1")],
            "the mfa flip and flip back cancel out"
        );
        let r = range(&conn, Some(1), Some(3)).unwrap();
        assert_eq!(diff(&conn, r, &["users"]).unwrap().changes.len(), 1);
    }

    #[test]
    fn ranges_that_cannot_be_answered_say_why() {
        let conn = conn();
        let message = |from, to| range(&conn, from, to).unwrap_err().to_string();
        assert!(message(Some(9), None).starts_with("no sync #9"));
        assert!(message(None, Some(0)).contains("the last is #5"));
        assert!(message(Some(5), Some(3)).contains("earlier sync"));
        assert!(message(Some(4), Some(5)).contains("organization other"));
        assert!(message(None, Some(1)).starts_with("fewer than two syncs"));
        assert!(message(None, Some(4)).starts_with("fewer than two syncs"));
        // Sync 1 is the baseline: a range starting before it cannot be complete.
        conn.execute("UPDATE sync_runs SET changes = NULL WHERE id = 3", [])
            .unwrap();
        assert!(message(Some(1), Some(5)).starts_with("sync #3 recorded no changes"));
        let empty = crate::store::open_in_memory().unwrap();
        assert!(matches!(
            range(&empty, None, None),
            Err(HistoryError::NoSync)
        ));
    }

    #[test]
    fn kinds_are_checked_with_suggestions() {
        assert_eq!(check_kind("users").unwrap(), "users");
        let message = check_kind("user").unwrap_err().to_string();
        assert!(message.contains("did you mean"), "{message}");
        assert!(message.contains("users"), "{message}");
        let message = check_kind("zzz").unwrap_err().to_string();
        assert!(message.contains("kinds are organizations"), "{message}");
    }

    #[test]
    fn a_timeline_holds_the_entity_and_its_relationships() {
        let conn = conn();
        let t = timeline(&conn, "users", "u1").unwrap();
        let found: Vec<(i64, &str, &str)> = t
            .entries
            .iter()
            .map(|(_, c)| (c.sync_id.unwrap_or(0), c.kind.as_str(), c.change.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (3, "users", "modified"),
                (3, "user_member_of_group", "added"),
                (5, "users", "modified")
            ]
        );
        let t = timeline(&conn, "user_member_of_group", "g1").unwrap();
        assert_eq!(t.entries.len(), 1);
        assert!(matches!(
            timeline(&conn, "users", "u"),
            Err(HistoryError::UnknownEntity { .. })
        ));
    }
}
