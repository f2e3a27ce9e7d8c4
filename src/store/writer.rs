//! The sync's single write transaction: upserts, join-row replacement, scoped pruning,
//! the change history and the run record. Nothing is visible to readers until `commit`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, ToSql};
use serde::Serialize;

use super::writeback::Writeback;
use super::StoreError;
use crate::kinds::{Kind, Link, LinkSpec, Locality, Record};

/// Holds the write lock (`BEGIN IMMEDIATE`) from the start of a sync to its commit; a
/// writer dropped without `commit` rolls everything back.
pub struct Writer {
    conn: Connection,
    path: PathBuf,
    organization_id: String,
    lastupdated: String,
    upsert_sql: HashMap<&'static str, String>,
    insert_sql: HashMap<&'static str, String>,
    /// Per table, whether it held rows of the organization when the sync began.
    had_rows: HashMap<&'static str, bool>,
    /// Hashes of the ids stored per (kind, zone) scope: 8 bytes an object, enough to
    /// count distinct objects without reading the big rows back.
    seen: HashMap<&'static str, HashMap<String, HashSet<u64>>>,
    /// Whether rows were written since the last `flush`.
    dirty: bool,
    open: bool,
    /// Declared after `conn` on purpose: fields drop in order, and the write-back's file
    /// descriptors must close only once the connection has (see the `writeback` module).
    _writeback: Writeback,
}

/// How one (kind, zone) scope ended.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeRecord {
    pub kind: String,
    /// Empty for global kinds.
    pub zone: String,
    /// `complete`, `failed` or `unavailable`.
    pub status: &'static str,
    pub objects: u64,
    pub pages: u64,
    pub error: Option<String>,
}

/// One row of `sync_runs`.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    pub started_at: String,
    pub finished_at: String,
    pub organization_id: Option<String>,
    pub api_url: String,
    pub status: &'static str,
    pub zones: Vec<String>,
    pub counts: BTreeMap<String, u64>,
    pub errors: Vec<ScopeRecord>,
    pub unresolved: BTreeMap<String, u64>,
    pub requests: u64,
    pub retries: u64,
    pub throttled: u64,
    pub scopes: Vec<ScopeRecord>,
}

/// References whose target is not in the inventory, per relationship: (name, SQL with
/// `?1` = organization). Each first finds the dangling references through covering
/// indexes and only then reads the (big) owning rows to check their organization.
const UNRESOLVED: &[(&str, &str)] = &[
    ("user_member_of_group", "SELECT count(*) FROM user_member_of_group r WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id) AND EXISTS (SELECT 1 FROM groups g WHERE g.id = r.group_id AND g.organization_id = ?1)"),
    ("application_member_of_group", "SELECT count(*) FROM application_member_of_group r WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = r.application_id) AND EXISTS (SELECT 1 FROM groups g WHERE g.id = r.group_id AND g.organization_id = ?1)"),
    ("user_has_api_key", "SELECT count(*) FROM user_has_api_key r WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id) AND EXISTS (SELECT 1 FROM api_keys k WHERE k.id = r.api_key_id AND k.organization_id = ?1)"),
    ("application_has_api_key", "SELECT count(*) FROM application_has_api_key r WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = r.application_id) AND EXISTS (SELECT 1 FROM api_keys k WHERE k.id = r.api_key_id AND k.organization_id = ?1)"),
    ("instance_mounts_volume", "SELECT count(*) FROM instance_mounts_volume r WHERE NOT EXISTS (SELECT 1 FROM volumes v WHERE v.id = r.volume_id) AND EXISTS (SELECT 1 FROM instances i WHERE i.id = r.instance_id AND i.organization_id = ?1)"),
    ("flexible_ip_identifies_instance", "SELECT (SELECT count(*) FROM flexible_ip_identifies_instance r WHERE r.seen_from = 'flexible_ip' AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = r.instance_id) AND EXISTS (SELECT 1 FROM flexible_ips f WHERE f.id = r.flexible_ip_id AND f.organization_id = ?1)) + (SELECT count(*) FROM flexible_ip_identifies_instance r WHERE r.seen_from = 'instance' AND NOT EXISTS (SELECT 1 FROM flexible_ips f WHERE f.id = r.flexible_ip_id) AND EXISTS (SELECT 1 FROM instances i WHERE i.id = r.instance_id AND i.organization_id = ?1))"),
    ("volume_has_snapshot", "SELECT count(*) FROM volume_has_snapshot r WHERE NOT EXISTS (SELECT 1 FROM volumes v WHERE v.id = r.volume_id) AND EXISTS (SELECT 1 FROM volume_snapshots s WHERE s.id = r.snapshot_id AND s.organization_id = ?1)"),
    ("resource_project", "SELECT (SELECT count(*) FROM instances x WHERE x.rowid IN (SELECT rowid FROM instances WHERE project_id NOT IN (SELECT id FROM projects)) AND x.organization_id = ?1) + (SELECT count(*) FROM flexible_ips x WHERE x.rowid IN (SELECT rowid FROM flexible_ips WHERE project_id NOT IN (SELECT id FROM projects)) AND x.organization_id = ?1) + (SELECT count(*) FROM volumes x WHERE x.rowid IN (SELECT rowid FROM volumes WHERE project_id NOT IN (SELECT id FROM projects)) AND x.organization_id = ?1) + (SELECT count(*) FROM volume_snapshots x WHERE x.rowid IN (SELECT rowid FROM volume_snapshots WHERE project_id NOT IN (SELECT id FROM projects)) AND x.organization_id = ?1)"),
];

impl Writer {
    /// Takes the write lock and starts the sync's transaction.
    pub fn begin(conn: Connection, path: &Path, lastupdated: &str) -> Result<Self, StoreError> {
        // No waiting: a second sync must be told at once that the file is busy.
        conn.busy_timeout(std::time::Duration::ZERO)
            .map_err(|e| StoreError::sqlite(path, e))?;
        // Before the transaction starts: the history's statement journals stay in memory.
        crate::history::record::prepare(&conn).map_err(|e| StoreError::sqlite(path, e))?;
        conn.execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| StoreError::sqlite(path, e))?;
        Ok(Writer {
            conn,
            path: path.to_path_buf(),
            organization_id: String::new(),
            lastupdated: lastupdated.to_string(),
            upsert_sql: HashMap::new(),
            insert_sql: HashMap::new(),
            had_rows: HashMap::new(),
            seen: HashMap::new(),
            dirty: false,
            _writeback: Writeback::start(path),
            open: true,
        })
    }

    /// The organization whose objects this sync stores (known once the lock is held). From
    /// here on the history triggers record changes, unless this is the organization's
    /// first sync (the baseline).
    pub fn set_organization(&mut self, organization_id: &str) -> Result<(), StoreError> {
        self.organization_id = organization_id.to_string();
        crate::history::record::start(&self.conn, organization_id).map_err(|e| self.err(e))?;
        Ok(())
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, source)
    }

    /// Records the organization itself; a name that could not be read keeps the last one.
    pub fn store_organization(
        &mut self,
        name: Option<&str>,
        raw: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO organizations (id, name, lastupdated, raw) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, name),
                   lastupdated = excluded.lastupdated, raw = coalesce(excluded.raw, raw)",
            )
            .and_then(|mut s| s.execute(params![self.organization_id, name, self.lastupdated, raw]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Upserts one object and replaces the join rows it owns.
    pub fn store(
        &mut self,
        kind: &'static Kind,
        zone: Option<&str>,
        record: &Record,
    ) -> Result<(), StoreError> {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        record.id.hash(&mut hasher);
        let zone = zone.unwrap_or_default();
        let scopes = self.seen.entry(kind.name).or_default();
        if !scopes.contains_key(zone) {
            scopes.insert(zone.to_string(), HashSet::new());
        }
        if let Some(ids) = scopes.get_mut(zone) {
            ids.insert(hasher.finish());
        }
        self.dirty = true;
        // Read before this sync's first row lands in the table.
        self.had_rows(kind)?;
        let sql = match self.upsert_sql.get(kind.table) {
            Some(sql) => sql,
            None => {
                let sql = upsert_sql(kind.table, &record.columns);
                self.upsert_sql.entry(kind.table).or_insert(sql)
            }
        };
        let tail: [&dyn ToSql; 3] = [&self.organization_id, &self.lastupdated, &record.raw];
        let values = record
            .columns
            .iter()
            .map(|(_, value)| value as &dyn ToSql)
            .chain(tail);
        let result = self
            .conn
            .prepare_cached(sql)
            .and_then(|mut statement| statement.execute(params_from_iter(values)));
        result.map_err(|e| self.err(e))?;

        for spec in kind.links {
            self.replace_links(kind, spec, record)?;
        }
        Ok(())
    }

    /// Makes the join rows a parent owns in one table equal to those its object carries now:
    /// rows that are gone are deleted, new ones inserted, unchanged ones left alone (so
    /// that an unchanged organization writes no join rows at all on a second sync).
    fn replace_links(
        &mut self,
        kind: &Kind,
        spec: &LinkSpec,
        record: &Record,
    ) -> Result<(), StoreError> {
        let rows: Vec<&Link> = record
            .links
            .iter()
            .filter(|l| l.table == spec.table)
            .collect();
        if self.had_rows(kind)? {
            self.delete_gone_links(spec, record, &rows)?;
        }
        for link in rows {
            let sql = self.insert_sql.entry(link.table).or_insert_with(|| {
                let names: Vec<&str> = link.columns.iter().map(|(name, _)| *name).collect();
                format!(
                    "INSERT OR IGNORE INTO {} ({}) VALUES ({})",
                    link.table,
                    names.join(", "),
                    vec!["?"; names.len()].join(", ")
                )
            });
            let result = self
                .conn
                .prepare_cached(sql)
                .and_then(|mut s| s.execute(params_from_iter(link.columns.iter().map(|(_, v)| v))));
            result.map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Whether the kind's table held rows of this organization before this sync wrote
    /// any: when it did not, no parent can own join rows yet, and a first sync skips
    /// looking for them.
    fn had_rows(&mut self, kind: &Kind) -> Result<bool, StoreError> {
        if let Some(had) = self.had_rows.get(kind.table) {
            return Ok(*had);
        }
        let had: bool = self
            .conn
            .query_row(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM {} WHERE organization_id = ?1)",
                    kind.table
                ),
                params![self.organization_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        self.had_rows.insert(kind.table, had);
        Ok(had)
    }

    /// Deletes the join rows of a parent that its object no longer carries.
    fn delete_gone_links(
        &mut self,
        spec: &LinkSpec,
        record: &Record,
        rows: &[&Link],
    ) -> Result<(), StoreError> {
        let mut sql = format!(
            "DELETE FROM {} WHERE {} = ?",
            spec.table, spec.parent_column
        );
        let mut values: Vec<&Value> = vec![];
        let parent = Value::Text(record.id.clone());
        values.push(&parent);
        let only = spec
            .only
            .map(|(column, value)| (column, Value::Text(value.to_string())));
        if let Some((column, value)) = &only {
            sql.push_str(&format!(" AND {column} = ?"));
            values.push(value);
        }
        // Past SQLite's bound on parameters, fall back to deleting every row of the parent.
        let small = rows.len() * rows.first().map_or(0, |r| r.columns.len()) < 30_000;
        if let Some(first) = rows.first().filter(|_| small) {
            let names: Vec<&str> = first.columns.iter().map(|(name, _)| *name).collect();
            let tuple = format!("({})", vec!["?"; names.len()].join(", "));
            sql.push_str(&format!(
                " AND ({}) NOT IN (VALUES {})",
                names.join(", "),
                vec![tuple.as_str(); rows.len()].join(", ")
            ));
            values.extend(
                rows.iter()
                    .flat_map(|row| row.columns.iter().map(|(_, v)| v)),
            );
        }
        let result = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.execute(params_from_iter(values)));
        result.map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Deletes the rows of a completely fetched scope that this sync did not see, with the
    /// join rows they owned. Returns the number of objects removed.
    pub fn prune(&mut self, kind: &Kind, zone: Option<&str>) -> Result<usize, StoreError> {
        // Every object seen is in its scope, so equal counts mean nothing is stale, and
        // the scan for stale rows (whose rows carry whole API objects) can be skipped.
        if self.count_in_scope(kind, zone.unwrap_or_default())? == self.seen(kind, zone) {
            return Ok(0);
        }
        let stale = format!(
            "SELECT id FROM {} WHERE {} AND lastupdated <> ?3",
            kind.table,
            kind.scope_predicate()
        );
        let zone = zone.unwrap_or_default();
        for link in kind.links {
            let only = link
                .only
                .map(|(column, value)| format!(" AND {column} = '{value}'"))
                .unwrap_or_default();
            let sql = format!(
                "DELETE FROM {} WHERE {} IN ({stale}){only}",
                link.table, link.parent_column
            );
            self.execute_scoped(&sql, zone)?;
        }
        let sql = format!(
            "DELETE FROM {} WHERE {} AND lastupdated <> ?3",
            kind.table,
            kind.scope_predicate()
        );
        self.execute_scoped(&sql, zone)
    }

    /// Runs a statement over a scope's rows. SQLite counts numbered parameters up to the
    /// highest used, so `?2` (the zone) may be bound even where a global kind's predicate
    /// does not mention it.
    fn execute_scoped(&self, sql: &str, zone: &str) -> Result<usize, StoreError> {
        self.conn
            .execute(sql, params![self.organization_id, zone, self.lastupdated])
            .map_err(|e| self.err(e))
    }

    /// Writes the transaction's dirty pages to the WAL (still uncommitted, still invisible
    /// to readers), so that the commit has little left to write.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        if self.dirty {
            self.conn.cache_flush().map_err(|e| self.err(e))?;
            self.dirty = false;
        }
        Ok(())
    }

    /// Distinct objects of a scope that this sync stored.
    pub fn seen(&self, kind: &Kind, zone: Option<&str>) -> u64 {
        self.seen
            .get(kind.name)
            .and_then(|scopes| scopes.get(zone.unwrap_or_default()))
            .map_or(0, |ids| ids.len() as u64)
    }

    /// Rows of a scope in the file, whichever sync stored them (an index-only count).
    fn count_in_scope(&self, kind: &Kind, zone: &str) -> Result<u64, StoreError> {
        let sql = format!(
            "SELECT count(*) FROM {} WHERE {}",
            kind.table,
            kind.scope_predicate()
        );
        let result = match kind.locality {
            Locality::Zonal => {
                self.conn
                    .query_row(&sql, params![self.organization_id, zone], |r| {
                        r.get::<_, i64>(0)
                    })
            }
            Locality::Global => self
                .conn
                .query_row(&sql, params![self.organization_id], |r| r.get::<_, i64>(0)),
        };
        result.map(|n| n as u64).map_err(|e| self.err(e))
    }

    /// Rows per table for this organization after the sync.
    pub fn table_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut counts = BTreeMap::new();
        for table in crate::kinds::entity_tables() {
            let column = if table == "organizations" {
                "id"
            } else {
                "organization_id"
            };
            let n: i64 = self
                .conn
                .query_row(
                    &format!("SELECT count(*) FROM {table} WHERE {column} = ?1"),
                    params![self.organization_id],
                    |r| r.get(0),
                )
                .map_err(|e| self.err(e))?;
            counts.insert(table.to_string(), n as u64);
        }
        Ok(counts)
    }

    /// References to objects absent from the inventory, per relationship (non-zero only).
    pub fn unresolved(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut found = BTreeMap::new();
        for (name, sql) in UNRESOLVED {
            let n: i64 = self
                .conn
                .query_row(sql, params![self.organization_id], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            if n > 0 {
                found.insert((*name).to_string(), n as u64);
            }
        }
        Ok(found)
    }

    /// Records the run and its scopes, then commits everything at once.
    pub fn commit(mut self, run: &RunRecord) -> Result<i64, StoreError> {
        let id = insert_run(&self.conn, run).map_err(|e| self.err(e))?;
        // The run's id is known only now: the recorded changes are stamped with it.
        crate::history::record::seal(&self.conn, id).map_err(|e| self.err(e))?;
        let started = std::time::Instant::now();
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        self.open = false;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "COMMIT and its checkpoint"
        );
        // The commit's automatic checkpoint has copied the pages into the file; the WAL
        // file itself goes when this connection closes.
        Ok(id)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// Records a run whose changes were rolled back (it failed or was interrupted) in its
/// own transaction, so that `inv status` shows the attempt.
pub fn record_failed_run(path: &Path, run: &RunRecord) -> Result<i64, StoreError> {
    let conn = super::open_for_write(path)?;
    insert_run(&conn, run).map_err(|e| StoreError::sqlite(path, e))
}

fn insert_run(conn: &Connection, run: &RunRecord) -> Result<i64, rusqlite::Error> {
    conn.execute(
        "INSERT INTO sync_runs (started_at, finished_at, organization_id, api_url, tool_version,
           schema_version, status, zones, counts, errors, unresolved, requests, retries, throttled)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            run.started_at,
            run.finished_at,
            run.organization_id,
            run.api_url,
            env!("CARGO_PKG_VERSION"),
            super::schema_version(),
            run.status,
            json(&run.zones),
            json(&run.counts),
            json(&run.errors),
            json(&run.unresolved),
            run.requests as i64,
            run.retries as i64,
            run.throttled as i64,
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut statement = conn.prepare(
        "INSERT INTO sync_scopes (sync_id, kind, zone, status, objects, pages, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for scope in &run.scopes {
        statement.execute(params![
            id,
            scope.kind,
            scope.zone,
            scope.status,
            scope.objects as i64,
            scope.pages as i64,
            scope.error
        ])?;
    }
    Ok(id)
}

/// JSON text of the run's collections (maps and lists of plain data cannot fail to
/// serialise).
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

fn upsert_sql(table: &str, columns: &[(&'static str, Value)]) -> String {
    let mut names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    names.extend(["organization_id", "lastupdated", "raw"]);
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = names
        .iter()
        .filter(|name| **name != "id")
        .map(|name| format!("{name} = excluded.{name}"))
        .collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
        names.join(", "),
        placeholders.join(", "),
        updates.join(", ")
    )
}
