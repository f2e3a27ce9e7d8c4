//! The inventory file: the one place that opens it (permissions, WAL, migrations, version
//! checks), for writing by a sync or read-only for questions.

pub mod runs;
mod writeback;
mod writer;

pub use writer::{record_failed_run, RunRecord, ScopeRecord, Writer};

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// Failures to open or write the inventory file, each naming the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} is a directory; give --db the path of a file (for example {path}/inventory.db)"
    )]
    IsDirectory { path: PathBuf },
    #[error("no inventory at {path}; run `inv sync --db {path}` (or `inv sync --demo`) first")]
    Missing { path: PathBuf },
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a SQLite database (is it the right file?)")]
    NotSqlite { path: PathBuf },
    #[error("{path} is a SQLite database but not an inv inventory (it has tables of its own); choose another --db")]
    NotInventory { path: PathBuf },
    #[error("{path} was written by a newer inv (schema version {found}); this inv {version} reads schema versions up to {supported}: upgrade inv")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
        version: &'static str,
    },
    #[error("{path} has schema version {found}, older than this inv's {supported}; run `inv sync` once to upgrade it")]
    OlderSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("another `inv sync` is writing {path} right now; wait for it to finish")]
    Locked { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    ReadOnly {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("migrating {path} failed: {source}")]
    Migration {
        path: PathBuf,
        source: refinery::Error,
    },
    #[error("database error on {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

impl StoreError {
    pub(crate) fn sqlite(path: &Path, source: rusqlite::Error) -> Self {
        let path = path.to_path_buf();
        match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite { path },
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
                StoreError::Locked { path }
            }
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => {
                StoreError::ReadOnly { path, source }
            }
            _ => StoreError::Sqlite { path, source },
        }
    }
}

/// Address space a read-only connection maps (pages are shared with the OS cache).
const READ_MMAP_BYTES: i64 = 1 << 30;

/// The schema version this build writes (the newest embedded migration).
pub fn schema_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

/// Page size of new inventory files; existing files keep theirs.
const PAGE_SIZE: i64 = 16384;

/// Opens (creating if needed, with mode 0600) and migrates an inventory for writing.
pub fn open_for_write(path: &Path) -> Result<Connection, StoreError> {
    if path.is_dir() {
        return Err(StoreError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if !path.exists() {
        create_private(path)?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn =
        Connection::open_with_flags(path, flags).map_err(|e| StoreError::sqlite(path, e))?;
    let found = applied_version(&conn, path)?;
    let supported = schema_version();
    if found > supported {
        return Err(newer(path, found));
    }
    if found == 0 {
        // Only a file without tables can still take a page size. Rows carry whole API
        // objects (a server's is 2-3 KB): with 16 KiB pages fewer of them straddle pages,
        // the file is about a tenth smaller, and a sync's commit makes a quarter of the
        // system calls (measured on 10k and 100k objects). Set before the cache size,
        // which SQLite would otherwise size in pages of the old size.
        conn.pragma_update(None, "page_size", PAGE_SIZE)
            .map_err(|e| StoreError::sqlite(path, e))?;
    }
    configure(&conn, path)?;
    if found < supported {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| StoreError::sqlite(path, e))?;
        migrate(&mut conn, path)?;
    }
    Ok(conn)
}

/// A new, empty inventory in memory, configured and migrated exactly like a file: the
/// schema and its documentation without any file (`inv schema`, tests).
pub fn open_in_memory() -> Result<Connection, StoreError> {
    // Errors name this path; an in-memory database has no other.
    let path = Path::new(":memory:");
    let mut conn = Connection::open_in_memory().map_err(|e| StoreError::sqlite(path, e))?;
    configure(&conn, path)?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// Opens an existing inventory read-only: nothing run on it can change the file.
pub fn open_read_only(path: &Path) -> Result<Connection, StoreError> {
    if path.is_dir() {
        return Err(StoreError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if !path.exists() {
        return Err(StoreError::Missing {
            path: path.to_path_buf(),
        });
    }
    // Read-write at the file level, but `query_only` before anything runs: a WAL file's
    // readers create its `-wal` and `-shm` companions, and only a connection that could
    // write removes them when it closes, leaving the inventory one file again. A file the
    // user cannot write is opened read-only by SQLite all the same.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::sqlite(path, e))?;
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| StoreError::sqlite(path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| StoreError::sqlite(path, e))?;
    let found = applied_version(&conn, path)?;
    let supported = schema_version();
    if found > supported {
        return Err(newer(path, found));
    }
    if found < supported {
        if found == 0 {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        return Err(StoreError::OlderSchema {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    // Questions scan tables whose rows carry whole API objects: reading them through a
    // memory map instead of copying pages halves the time of a scan.
    conn.pragma_update(None, "mmap_size", READ_MMAP_BYTES)
        .map_err(|e| StoreError::sqlite(path, e))?;
    Ok(conn)
}

fn newer(path: &Path, found: i64) -> StoreError {
    StoreError::NewerSchema {
        path: path.to_path_buf(),
        found,
        supported: schema_version(),
        version: env!("CARGO_PKG_VERSION"),
    }
}

/// Creates the file before SQLite does, so that it (and the WAL and SHM files SQLite
/// later creates with the same mode) is private to the user from the first byte.
fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::Create {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Applies the embedded migrations that the database does not have yet, in one
/// transaction: an upgrade that fails part way leaves the file at the version it had (a
/// new file also gets its schema with one commit instead of one per migration).
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    embedded::migrations::runner()
        .set_grouped(true)
        .run(conn)
        .map(|_| ())
        .map_err(|source| StoreError::Migration {
            path: path.to_path_buf(),
            source,
        })
}

fn configure(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let run = |sql: &str| {
        conn.execute_batch(sql)
            .map_err(|e| StoreError::sqlite(path, e))
    };
    run("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// The schema version recorded in the file: 0 for an empty file; an error for a file
/// that is not SQLite or holds somebody else's tables.
fn applied_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
        .map_err(|e| StoreError::sqlite(path, e))?;
    if tables == 0 {
        return Ok(0);
    }
    let has_history: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history'",
            [],
            |row| row.get(0),
        )
        .map_err(|e| StoreError::sqlite(path, e))?;
    if !has_history {
        return Err(StoreError::NotInventory {
            path: path.to_path_buf(),
        });
    }
    conn.query_row(
        "SELECT coalesce(max(version), 0) FROM refinery_schema_history",
        [],
        |row| row.get(0),
    )
    .map_err(|e| StoreError::sqlite(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_private_and_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inv.db");
        let conn = open_for_write(&path).unwrap();
        let version: i64 = conn
            .query_row(
                "SELECT max(version) FROM refinery_schema_history",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(version, schema_version());
        let page_size: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(page_size, PAGE_SIZE);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        drop(conn);
        open_read_only(&path).unwrap();
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inv.db");
        let conn = open_for_write(&path).unwrap();
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (9999, 'future', '', '0')",
            [],
        )
        .unwrap();
        drop(conn);
        assert!(matches!(
            open_for_write(&path),
            Err(StoreError::NewerSchema { found: 9999, .. })
        ));
        assert!(matches!(
            open_read_only(&path),
            Err(StoreError::NewerSchema { .. })
        ));
    }

    #[test]
    fn foreign_files_are_named_for_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(
            &text,
            "hello, this is not a database at all, just some text",
        )
        .unwrap();
        assert!(matches!(
            open_for_write(&text),
            Err(StoreError::NotSqlite { .. })
        ));
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        assert!(matches!(
            open_for_write(&other),
            Err(StoreError::NotInventory { .. })
        ));
        assert!(matches!(
            open_for_write(dir.path()),
            Err(StoreError::IsDirectory { .. })
        ));
        assert!(matches!(
            open_read_only(&dir.path().join("absent.db")),
            Err(StoreError::Missing { .. })
        ));
    }

    #[test]
    fn an_in_memory_inventory_has_the_whole_schema() {
        let conn = open_in_memory().unwrap();
        let version: i64 = conn
            .query_row(
                "SELECT max(version) FROM refinery_schema_history",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(version, schema_version());
        let documented: i64 = conn
            .query_row("SELECT count(*) FROM schema_doc", [], |r| r.get(0))
            .unwrap();
        assert!(documented > 0);
    }

    /// V5 fills `instances.public_ips` of files synced before it from `raw`, and V6 puts
    /// the addresses in the decoder's order; a later sync writes what the decoder reads.
    /// Both must agree, or questions would show the addresses of the same server
    /// differently before and after its next sync.
    #[test]
    fn the_public_ips_backfill_agrees_with_the_decoder() {
        let servers = [
            r#"{"id": "a", "public_ips": [{"id": "1", "address": "51.15.0.2"}, {"id": "2", "address": "2001:bc8::1"}], "public_ip": {"id": "1", "address": "51.15.0.2"}}"#,
            r#"{"id": "b", "public_ips": [], "public_ip": null}"#,
            r#"{"id": "c", "public_ip": {"id": "3", "address": "51.15.0.3"}}"#,
            r#"{"id": "d"}"#,
            r#"{"id": "e", "public_ips": [{"id": "4", "address": ""}, {"id": "5"}, {"id": "6", "address": "51.15.0.9"}, {"id": "7", "address": "51.15.0.1"}]}"#,
            r#"{"id": "f", "public_ips": [{"id": "8", "address": "51.15.0.5"}], "public_ip": {"id": "9", "address": "51.15.0.4"}}"#,
            r#"{"id": "g", "public_ips": [{"id": "10", "address": "51.15.0.9"}, {"id": "11", "address": "51.15.0.1"}], "public_ip": {"id": "11", "address": "51.15.0.1"}}"#,
        ];
        let mut conn = Connection::open_in_memory().unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(4))
            .run(&mut conn)
            .unwrap();
        for raw in servers {
            conn.execute(
                "INSERT INTO instances (id, zone, organization_id, lastupdated, raw) VALUES (json_extract(?1, '$.id'), 'fr-par-1', 'o', '', ?1)",
                [raw],
            )
            .unwrap();
        }
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let kind = crate::kinds::by_name("instances").unwrap();
        let context = crate::kinds::Context {
            zone: Some("fr-par-1".into()),
        };
        for raw in servers {
            let value = serde_json::value::RawValue::from_string(raw.to_string()).unwrap();
            let record = (kind.decode)(&value, &context).unwrap();
            let decoded = record
                .columns
                .iter()
                .find(|(column, _)| *column == "public_ips")
                .map(|(_, value)| value.clone())
                .unwrap();
            let migrated: rusqlite::types::Value = conn
                .query_row(
                    "SELECT public_ips FROM instances WHERE id = ?1",
                    [&record.id],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(migrated, decoded, "{raw}");
        }
        let stored: Vec<Option<String>> = conn
            .prepare("SELECT public_ips FROM instances ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected = [
            Some(r#"["51.15.0.2","2001:bc8::1"]"#),
            Some("[]"),
            Some(r#"["51.15.0.3"]"#),
            None,
            Some(r#"["51.15.0.9","51.15.0.1"]"#),
            Some(r#"["51.15.0.5","51.15.0.4"]"#),
            Some(r#"["51.15.0.9","51.15.0.1"]"#),
        ];
        assert_eq!(stored, expected.map(|v| v.map(str::to_string)));
    }

    /// Migrations run as one transaction: an upgrade that fails part way (here V5, on a
    /// stored object that is not JSON) leaves the file at the version it had, not at the
    /// last step that worked.
    #[test]
    fn a_failed_upgrade_leaves_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inv.db");
        let mut conn = Connection::open(&path).unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(3))
            .run(&mut conn)
            .unwrap();
        conn.execute(
            "INSERT INTO instances (id, zone, organization_id, lastupdated, raw) VALUES ('a', 'fr-par-1', 'o', '', 'not JSON')",
            [],
        )
        .unwrap();
        drop(conn);

        let error = open_for_write(&path).unwrap_err();
        assert!(matches!(error, StoreError::Migration { .. }), "{error}");
        assert!(error.to_string().contains("inv.db"), "{error}");

        let conn = Connection::open(&path).unwrap();
        assert_eq!(applied_version(&conn, &path).unwrap(), 3);
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('instances_end_of_service', 'instances_zone_name')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 0, "V4 and V5 must both be rolled back");
    }

    #[test]
    fn read_only_connections_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inv.db");
        drop(open_for_write(&path).unwrap());
        let conn = open_read_only(&path).unwrap();
        assert!(conn.execute("DELETE FROM users", []).is_err());
    }

    /// A question leaves the inventory a single file: no `-wal` or `-shm` behind.
    #[test]
    fn reading_leaves_no_companion_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inv.db");
        drop(open_for_write(&path).unwrap());
        let conn = open_read_only(&path).unwrap();
        let _: i64 = conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .unwrap();
        drop(conn);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["inv.db"]);
    }
}
