//! The history benchmark: what the change history costs. A synthetic organization is synced
//! once (the baseline), then changed ten times by `churn` (about 1 % of its objects each
//! time: modified, added, removed) and synced again; each sync is reported with the change
//! rows it recorded, the bytes it added to the file and to the history, and its wall and
//! CPU time beside the same sync on a twin file that never records (each of its syncs is
//! made a baseline), which is the ingest cost of recording.
//!
//! Run with `cargo bench --bench history` (size: `INV_BENCH_HISTORY_OBJECTS`, default 10000;
//! the fake API answers at once so that times are the sync's own work).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use inv::fakeapi::{self, Credential, Faults};
use rusqlite::Connection;

const SYNCS: u64 = 10;
const CHURN: f64 = 0.01;

fn main() {
    let objects: usize = std::env::var("INV_BENCH_HISTORY_OBJECTS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(10_000);
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let dir = out_dir.join("history");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("target/bench/history");

    let (mut world, credential) =
        fakeapi::synthetic_world(&fakeapi::SyntheticSpec { objects, seed: 7 });
    let total = world.object_count();
    let api = fakeapi::start_in_thread(world.clone(), Faults::none()).expect("the fake API");
    let with = dir.join("with-history.db");
    let without = dir.join("without-history.db");

    let mut rows = Vec::new();
    for sync in 0..=SYNCS {
        if sync > 0 {
            fakeapi::churn(&mut world, CHURN, 1000 + sync);
            api.set_world(world.clone());
        }
        let before = (file_bytes(&with), history_bytes(&with));
        // Each run on its own, in alternating order, so that drift on a shared machine and
        // whatever the first of two runs pays hit both files alike.
        let (with_run, without_run) = if sync % 2 == 0 {
            let with = timed_sync(&credential, &api.url(), &with);
            (with, timed_sync(&credential, &api.url(), &without))
        } else {
            let without = timed_sync(&credential, &api.url(), &without);
            (timed_sync(&credential, &api.url(), &with), without)
        };
        // The twin's next sync finds no earlier sync of the organization: it records nothing.
        Connection::open(&without)
            .and_then(|c| c.execute("UPDATE sync_runs SET organization_id = NULL", []))
            .expect("the twin file");
        let recorded: Option<i64> = Connection::open(&with)
            .and_then(|c| {
                c.query_row(
                    "SELECT changes FROM sync_runs ORDER BY id DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
            })
            .expect("the last run");
        rows.push(Row {
            sync: sync + 1,
            objects: world.object_count(),
            recorded: recorded.unwrap_or(0),
            file_added: file_bytes(&with) - before.0,
            history_added: history_bytes(&with) - before.1,
            with: with_run,
            without: without_run,
        });
        eprintln!(
            "sync {}: {} changes, {:.2} s / CPU {:.2} s (not recording {:.2} s / CPU {:.2} s)",
            sync + 1,
            recorded.unwrap_or(0),
            with_run.wall.as_secs_f64(),
            with_run.cpu.as_secs_f64(),
            without_run.wall.as_secs_f64(),
            without_run.cpu.as_secs_f64()
        );
    }
    api.shutdown();

    let mut report = format!(
        "History growth: a synthetic organization of {total} objects synced once (the baseline, \
         which records nothing), then {SYNCS} times after `churn` changed {:.0} % of its objects \
         (half modified, a quarter added, a quarter removed). Fake API without latency; inv \
         with `--rate 1000000`. Times are of the whole `inv sync` process (wall, and CPU: user \
         and system); \"not recording\" is the same sync on a twin file where every sync is a \
         baseline.\n\n\
         | sync | objects | change rows | file bytes added | history bytes added | history bytes per change | wall s | CPU s | wall s not recording | CPU s not recording |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        CHURN * 100.0
    );
    for row in &rows {
        let per_change = if row.recorded > 0 {
            format!("{:.0}", row.history_added as f64 / row.recorded as f64)
        } else {
            "—".to_string()
        };
        report.push_str(&format!(
            "| {}{} | {} | {} | {} | {} | {per_change} | {:.2} | {:.2} | {:.2} | {:.2} |\n",
            row.sync,
            if row.sync == 1 { " (baseline)" } else { "" },
            row.objects,
            row.recorded,
            row.file_added,
            row.history_added,
            row.with.wall.as_secs_f64(),
            row.with.cpu.as_secs_f64(),
            row.without.wall.as_secs_f64(),
            row.without.cpu.as_secs_f64(),
        ));
    }
    let later = &rows[1..];
    let n = later.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Row) -> f64| later.iter().map(f).sum::<f64>() / n;
    let median = |f: &dyn Fn(&Row) -> f64| {
        let mut values: Vec<f64> = later.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    let cpu_with = median(&|r| r.with.cpu.as_secs_f64());
    let cpu_without = median(&|r| r.without.cpu.as_secs_f64());
    let wall_with = median(&|r| r.with.wall.as_secs_f64());
    let wall_without = median(&|r| r.without.wall.as_secs_f64());
    report.push_str(&format!(
        "\nOver the {} recording syncs: {:.0} change rows and {:.0} history bytes ({:.1} KB) per sync on average; \
         the file is {:.1} MB with {:.1} KB of history ({:.2} %). Median per sync: CPU {cpu_with:.2} s recording, \
         {cpu_without:.2} s not ({:+.1} %); wall {wall_with:.2} s and {wall_without:.2} s ({:+.1} %).\n",
        later.len(),
        mean(&|r| r.recorded as f64),
        mean(&|r| r.history_added as f64),
        mean(&|r| r.history_added as f64) / 1024.0,
        file_bytes(&with) as f64 / 1e6,
        history_bytes(&with) as f64 / 1024.0,
        100.0 * history_bytes(&with) as f64 / file_bytes(&with).max(1) as f64,
        100.0 * (cpu_with - cpu_without) / cpu_without.max(f64::EPSILON),
        100.0 * (wall_with - wall_without) / wall_without.max(f64::EPSILON),
    ));
    println!("{report}");
    let path = out_dir.join("history.md");
    std::fs::write(&path, &report).expect("history.md");
    eprintln!("written to {}", path.display());
}

struct Row {
    sync: u64,
    objects: usize,
    recorded: i64,
    file_added: i64,
    history_added: i64,
    with: Run,
    without: Run,
}

#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    /// User and system time of the `inv` process itself.
    cpu: Duration,
}

/// One `inv sync` of the release binary, timed as a whole process.
fn timed_sync(credential: &Credential, url: &str, db: &Path) -> Run {
    let start = Instant::now();
    // Reaped by `wait4` below, which also reports the child's own CPU time.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_inv"))
        .args(["sync", "--quiet", "--rate", "1000000", "--db"])
        .arg(db)
        .env("SCW_SECRET_KEY", &credential.secret_key)
        .env("SCW_ACCESS_KEY", &credential.access_key)
        .env("SCW_DEFAULT_ORGANIZATION_ID", &credential.organization_id)
        .env("SCW_API_URL", url)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("inv runs");
    let mut status = 0;
    // SAFETY: wait4 on our own child with valid pointers to locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(waited, child.id() as libc::pid_t, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "inv sync failed ({status})"
    );
    let seconds = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
    }
}

/// Bytes of the main file (each sync checkpoints its WAL into it).
fn file_bytes(path: &Path) -> i64 {
    std::fs::metadata(path).map_or(0, |m| m.len() as i64)
}

/// Bytes of the pages that hold the history: the `changes` table and its index.
fn history_bytes(path: &Path) -> i64 {
    if !path.exists() {
        return 0;
    }
    Connection::open(path)
        .and_then(|c| {
            c.query_row(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('changes', 'changes_kind_id')",
                [],
                |r| r.get(0),
            )
        })
        .expect("dbstat")
}
