//! The sync benchmark: the real `inv` binary against synthetic organizations served by the
//! in-repo fake API with latency and a gateway-style rate limit, beside a raw rusqlite
//! insert of the same rows, and every saved question timed on the largest file.
//!
//! Run with `cargo bench --bench sync` (sizes: `INV_BENCH_SIZES=1000,10000,100000`); with
//! `INV_BENCH_QUESTIONS=path/to/inventory.db` it only times the saved questions on that file
//! (migrating it to the current schema first; `INV_BENCH_QUESTION=NAME` times only that one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use inv::fakeapi::{self, Credential, Faults, World};
use rusqlite::types::Value;

const LATENCY_MS: u64 = 30;
const RATE_LIMIT: f64 = 100.0;
const SLOW_RATE_LIMIT: f64 = 20.0;
const PAGE: usize = 100;
/// Runs of each timed sync, and of each side of the ingest comparison (shorter, so more
/// exposed to scheduling noise); the median is reported.
const RUNS: usize = 3;
const INGEST_RUNS: usize = 5;
/// Runs of each saved question on the largest file; the median is reported.
const QUESTION_RUNS: usize = 9;

fn main() {
    if let Some(db) = std::env::var_os("INV_BENCH_QUESTIONS") {
        let db = Path::new(&db);
        assert!(
            db.is_file(),
            "INV_BENCH_QUESTIONS: {} is not an inventory file",
            db.display()
        );
        drop(inv::store::open_for_write(db).expect("an inventory"));
        println!("{}", question_times(db));
        return;
    }
    let sizes: Vec<usize> = std::env::var("INV_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&out_dir).expect("target/bench");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");

    let mut report = String::new();
    report.push_str(&format!(
        "Fake API: {LATENCY_MS} ms per request, {RATE_LIMIT} requests/s limit (429 beyond it, like the gateway); inv with default settings.\n\n"
    ));
    report.push_str(&format!("First sync into a new file: median of {RUNS} runs (range beside it); then a second sync of the same organization.\n\n"));
    report.push_str("| objects | wall s | range s | lower bound s | ratio | requests | minimum | 429s | max in flight | objects/s | peak RSS MB | db MB | 2nd sync s |\n");
    report.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut ingest = format!(
        "\nIngest with an instant API (no latency, no limit, `--rate 1000000`; medians of {INGEST_RUNS} runs), beside a raw rusqlite loop inserting the rows that sync wrote (entity and join rows) in one transaction. The raw loop's rate is also given per object (the objects whose rows it inserted ÷ its time), so that the ratio is end-to-end objects/s ÷ raw objects/s, the same as raw time ÷ end-to-end time:\n\n| objects | rows written | end-to-end s | end-to-end objects/s | raw insert s | raw rows/s | raw objects/s | ingest ratio |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut slow_limit = String::new();
    let mut largest: Option<PathBuf> = None;
    for &size in &sizes {
        let (world, credential) = fakeapi::synthetic_world(&fakeapi::SyntheticSpec {
            objects: size,
            seed: 7,
        });
        let objects = world.object_count();
        let minimum = minimum_requests(&world);
        let dir = out_dir.join(format!("sync-{size}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("bench dir");

        let limited = Faults::none()
            .with_latency(LATENCY_MS)
            .with_rate_limit(RATE_LIMIT);
        let db = dir.join("inventory.db");
        // Scheduling noise on a small machine moves a 1.6 s sync by a few percent: the
        // first sync into a new file is run RUNS times and the median reported.
        let mut firsts: Vec<Run> = (0..RUNS)
            .map(|_| {
                remove_inventory(&db);
                timed_sync(&runtime, &world, &credential, limited.clone(), &db, &[])
            })
            .collect();
        firsts.sort_by_key(|run| run.wall);
        let range = format!(
            "{:.2}–{:.2}",
            firsts[0].wall.as_secs_f64(),
            firsts[RUNS - 1].wall.as_secs_f64()
        );
        let first = firsts.swap_remove(RUNS / 2);
        let second = timed_sync(&runtime, &world, &credential, limited, &db, &[]);
        let bound = (minimum as f64 / RATE_LIMIT).max(2.0 * LATENCY_MS as f64 / 1000.0);
        let db_mb = file_mb(&db);
        report.push_str(&format!(
            "| {objects} | {:.2} | {range} | {bound:.2} | {:.2} | {} | {minimum} | {} | {} | {:.0} | {:.1} | {db_mb:.1} | {:.2} |\n",
            first.wall.as_secs_f64(),
            first.wall.as_secs_f64() / bound,
            first.requests,
            first.throttled,
            first.max_in_flight,
            objects as f64 / first.wall.as_secs_f64(),
            first.peak_rss_kb as f64 / 1024.0,
            second.wall.as_secs_f64(),
        ));
        eprintln!("{size}: first {:?} second {:?}", first.wall, second.wall);

        // Both sides run INGEST_RUNS times (the sync into a new file each time); medians.
        let instant_db = dir.join("instant.db");
        let instant = median_by(
            (0..INGEST_RUNS)
                .map(|_| {
                    remove_inventory(&instant_db);
                    timed_sync(
                        &runtime,
                        &world,
                        &credential,
                        Faults::none(),
                        &instant_db,
                        &["--rate", "1000000"],
                    )
                })
                .collect(),
            |run| run.wall,
        );
        let (rows, raw) = median_by(
            (0..INGEST_RUNS)
                .map(|_| raw_insert(&instant_db, &dir.join("raw.db")))
                .collect(),
            |(_, time)| *time,
        );
        let e2e_rate = objects as f64 / instant.wall.as_secs_f64();
        let raw_rate = rows as f64 / raw.as_secs_f64();
        ingest.push_str(&format!(
            "| {objects} | {rows} | {:.2} | {e2e_rate:.0} | {:.2} | {raw_rate:.0} | {:.0} | {:.0} % |\n",
            instant.wall.as_secs_f64(),
            raw.as_secs_f64(),
            objects as f64 / raw.as_secs_f64(),
            100.0 * raw.as_secs_f64() / instant.wall.as_secs_f64(),
        ));
        if size == 10_000 {
            let slow = Faults::none()
                .with_latency(LATENCY_MS)
                .with_rate_limit(SLOW_RATE_LIMIT);
            let run = timed_sync(
                &runtime,
                &world,
                &credential,
                slow,
                &dir.join("slow.db"),
                &[],
            );
            slow_limit.push_str(&format!(
                "\nAgainst a {SLOW_RATE_LIMIT} requests/s limit ({objects} objects, default settings): exit status {}, {:.2} s (bound {:.2} s), {} requests, {} answered 429.\n\n",
                run.status,
                run.wall.as_secs_f64(),
                minimum as f64 / SLOW_RATE_LIMIT,
                run.requests,
                run.throttled
            ));
        }
        largest = Some(db);
    }
    report.push_str(&slow_limit);
    report.push_str(&ingest);
    if let Some(db) = largest {
        report.push_str(&question_times(&db));
    }
    println!("{report}");
    let path = out_dir.join("results.md");
    std::fs::write(&path, &report).expect("results.md");
    eprintln!("written to {}", path.display());
}

struct Run {
    status: i32,
    wall: Duration,
    requests: u64,
    throttled: u64,
    max_in_flight: u64,
    peak_rss_kb: u64,
}

/// Serves `world` with `faults` and runs `inv sync` once, timing the process as a whole.
fn timed_sync(
    runtime: &tokio::runtime::Runtime,
    world: &World,
    credential: &Credential,
    faults: Faults,
    db: &Path,
    extra: &[&str],
) -> Run {
    let api = runtime
        .block_on(fakeapi::start(world.clone(), faults))
        .expect("fake API");
    let mut command = Command::new(env!("CARGO_BIN_EXE_inv"));
    command
        .args(["sync", "--quiet", "--db"])
        .arg(db)
        .args(extra)
        .env("SCW_SECRET_KEY", &credential.secret_key)
        .env("SCW_ACCESS_KEY", &credential.access_key)
        .env("SCW_DEFAULT_ORGANIZATION_ID", &credential.organization_id)
        .env("SCW_API_URL", api.url())
        .stdout(std::process::Stdio::null());
    let start = Instant::now();
    let mut child = command.spawn().expect("inv runs");
    let (status, peak_rss_kb) = wait_sampling_peak_rss(&mut child);
    let wall = start.elapsed();
    let stats = api.stats();
    api.shutdown();
    if status != 0 {
        eprintln!("inv sync exited with {status}");
    }
    Run {
        status,
        wall,
        requests: stats.total_requests,
        throttled: stats.too_many_requests,
        max_in_flight: stats.max_in_flight,
        peak_rss_kb,
    }
}

/// Waits for the child, sampling its peak RSS (`VmHWM`) every 2 ms. The kernel's own
/// figure (`ru_maxrss`) cannot be used: it counts the parent's memory at spawn, and this
/// process holds a whole synthetic organization.
fn wait_sampling_peak_rss(child: &mut std::process::Child) -> (i32, u64) {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return (status.code().unwrap_or(-1), peak_kb);
        }
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = text
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The fewest requests a sync can make: the organization's details, then one request
/// per 100 objects of every listing, and one for each empty or absent listing.
fn minimum_requests(world: &World) -> u64 {
    let pages = |n: usize| n.div_ceil(PAGE).max(1) as u64;
    let org = &world.organizations[0];
    let mut total = 1
        + pages(org.projects.len())
        + pages(org.users.len())
        + pages(org.groups.len())
        + pages(org.applications.len())
        + pages(org.api_keys.len());
    for zone in inv::config::ALL_ZONES {
        let z = org.zones.get(*zone).cloned().unwrap_or_default();
        total += pages(z.servers.len())
            + pages(z.ips.len())
            + pages(z.volumes.len())
            + pages(z.snapshots.len())
            + pages(z.block_volumes.len())
            + pages(z.block_snapshots.len());
    }
    total
}

/// Copies every row the sync wrote into a fresh inventory with plain prepared INSERTs in
/// one transaction: the floor of what storing those rows costs.
fn raw_insert(source: &Path, target: &Path) -> (u64, Duration) {
    let _ = std::fs::remove_file(target);
    let src = rusqlite::Connection::open(source).expect("synced db");
    let tables = [
        "projects",
        "users",
        "groups",
        "applications",
        "api_keys",
        "instances",
        "flexible_ips",
        "volumes",
        "volume_snapshots",
        "user_member_of_group",
        "application_member_of_group",
        "user_has_api_key",
        "application_has_api_key",
        "instance_mounts_volume",
        "flexible_ip_identifies_instance",
        "volume_has_snapshot",
    ];
    let mut data: BTreeMap<&str, (Vec<String>, Vec<Vec<Value>>)> = BTreeMap::new();
    for table in tables {
        let mut statement = src
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("select");
        let columns: Vec<String> = statement.column_names().map(|c| c.to_string()).collect();
        let width = columns.len();
        let rows: Vec<Vec<Value>> = statement
            .query_map([], |row| {
                (0..width).map(|i| row.get::<_, Value>(i)).collect()
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        data.insert(table, (columns, rows));
    }
    let mut conn = inv::store::open_for_write(target).expect("fresh db");
    let start = Instant::now();
    let tx = conn.transaction().expect("transaction");
    let mut count = 0;
    for (table, (columns, rows)) in &data {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            vec!["?"; columns.len()].join(", ")
        );
        let mut statement = tx.prepare(&sql).expect("insert");
        for row in rows {
            statement
                .execute(rusqlite::params_from_iter(row))
                .expect("row");
            count += 1;
        }
    }
    tx.commit().expect("commit");
    // Closing checkpoints the WAL into the file and deletes it, as the sync's close does.
    drop(conn);
    (count, start.elapsed())
}

/// The run whose `key` is the median.
fn median_by<T, K: Ord>(mut runs: Vec<T>, key: impl FnMut(&T) -> K) -> T {
    runs.sort_by_key(key);
    runs.swap_remove(runs.len() / 2)
}

/// Deletes an inventory and its WAL companions, for a sync into a new file.
fn remove_inventory(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(path);
    }
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path)
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0)
}

/// Every saved question timed on `db` (median of `QUESTION_RUNS`, in process, read-only).
fn question_times(db: &Path) -> String {
    let mut out = format!(
        "\nSaved questions on the largest file ({:.0} MB), median of {QUESTION_RUNS} runs:\n\n| question | rows | ms |\n|---|---:|---:|\n",
        file_mb(db)
    );
    let library = inv::query::Library::load(None).expect("the built-in questions");
    let conn = inv::store::open_read_only(db).expect("read-only db");
    let only = std::env::var("INV_BENCH_QUESTION").ok();
    for question in library
        .questions()
        .filter(|q| only.as_deref().is_none_or(|name| name == q.name))
    {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..QUESTION_RUNS {
            let start = Instant::now();
            let values = inv::query::params::for_question(question, &[]).expect("defaults");
            let result =
                inv::query::run_question(&conn, question, "2026-12-01T00:00:00.000000Z", &values)
                    .expect("the question runs");
            times.push(start.elapsed());
            rows = result.rows.len();
        }
        times.sort();
        out.push_str(&format!(
            "| {} | {rows} | {:.1} |\n",
            question.name,
            times[QUESTION_RUNS / 2].as_secs_f64() * 1000.0
        ));
    }
    out
}
