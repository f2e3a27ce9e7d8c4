//! `inv sync` end to end: the real binary against the fake API on loopback.

use std::path::Path;

use inv::fakeapi::{self, wire, FaultAction, FaultRule, Faults, World};
use rusqlite::Connection;

use crate::support::{inv, run, temp};
use crate::world::{self, *};

/// A sync of `db` against `url` with the known credentials in the environment.
fn sync(home: &Path, url: &str, db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut command = inv(home);
    command
        .args(["sync", "--db"])
        .arg(db)
        .args(["--timeout", "2"])
        .args(args)
        .env("SCW_ACCESS_KEY", ACCESS_KEY)
        .env("SCW_SECRET_KEY", SECRET)
        .env("SCW_DEFAULT_ORGANIZATION_ID", ORG)
        .env("SCW_API_URL", url);
    let (output, stdout, stderr) = run(&mut command);
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// A sync of `db` in the background, its output discarded.
fn spawn_sync(home: &Path, url: &str, db: &Path) -> std::process::Child {
    inv(home)
        .args(["sync", "--db"])
        .arg(db)
        .env("SCW_SECRET_KEY", SECRET)
        .env("SCW_DEFAULT_ORGANIZATION_ID", ORG)
        .env("SCW_API_URL", url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("inv starts")
}

fn start(world: World, faults: Faults) -> fakeapi::FakeApiHandle {
    fakeapi::start_in_thread(world, faults).expect("the fake API starts")
}

fn ids(db: &Path, sql: &str) -> Vec<String> {
    let conn = Connection::open(db).expect("open");
    let mut statement = conn.prepare(sql).expect("valid SQL");
    let rows = statement
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows");
    rows
}

fn one<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    Connection::open(db)
        .expect("open")
        .query_row(sql, [], |r| r.get(0))
        .expect("one row")
}

#[test]
fn a_known_world_gives_exactly_its_rows_and_edges() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (code, stdout, stderr) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("complete"), "{stdout}");

    let conn = Connection::open(&db).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT src_label, src_id, rel, dst_label, dst_id FROM edges ORDER BY 1, 2, 3, 4, 5",
        )
        .unwrap();
    let mut edges: Vec<(String, String, String, String, String)> = statement
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    edges.sort();
    assert_eq!(edges, world::known_edges());

    // The other organization's objects never leak in.
    assert!(ids(&db, "SELECT id FROM instances")
        .iter()
        .all(|id| id != OTHER_SERVER));
    assert!(ids(&db, "SELECT id FROM users")
        .iter()
        .all(|id| id != OTHER_USER));
    assert_eq!(
        ids(&db, "SELECT id FROM organizations"),
        vec![ORG.to_string()]
    );

    // Values as documented: booleans 0/1, normalised timestamps, sizes in bytes, the
    // SBS volume beside the local one, references to absent objects kept.
    assert_eq!(
        one::<i64>(&db, &format!("SELECT mfa FROM users WHERE id = '{BOB}'")),
        0
    );
    assert_eq!(
        one::<i64>(&db, &format!("SELECT locked FROM users WHERE id = '{BOB}'")),
        1
    );
    assert_eq!(
        one::<String>(
            &db,
            &format!("SELECT expires_at FROM api_keys WHERE id = '{KEY_ORPHAN}'")
        ),
        "2025-01-01T00:00:00.000000Z"
    );
    assert_eq!(
        one::<String>(
            &db,
            &format!("SELECT user_id FROM api_keys WHERE id = '{KEY_ORPHAN}'")
        ),
        GHOST_USER
    );
    assert_eq!(
        one::<i64>(
            &db,
            &format!("SELECT size FROM volumes WHERE id = '{LOCAL_VOLUME}'")
        ),
        50_000_000_000
    );
    assert_eq!(
        one::<String>(&db, &format!("SELECT volume_type || ' ' || api || ' ' || zone FROM volumes WHERE id = '{SBS_VOLUME}'")),
        "sbs_volume block fr-par-1"
    );
    assert_eq!(
        one::<String>(
            &db,
            &format!("SELECT server_id FROM flexible_ips WHERE id = '{IP_ATTACHED}'")
        ),
        SERVER
    );
    assert_eq!(
        one::<String>(
            &db,
            &format!("SELECT state FROM instances WHERE id = '{SERVER_AMS}'")
        ),
        "stopped"
    );
    assert_eq!(
        one::<String>(
            &db,
            &format!("SELECT base_volume_id FROM volume_snapshots WHERE id = '{BLOCK_SNAPSHOT}'")
        ),
        SBS_VOLUME
    );
    let timestamps: i64 = one(&db, "SELECT count(*) FROM users WHERE created_at NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'");
    assert_eq!(timestamps, 0);
    let raw_ok: i64 = one(
        &db,
        "SELECT count(*) FROM instances WHERE json_extract(raw, '$.image.name') IS NOT NULL",
    );
    assert_eq!(raw_ok, 2);

    // The run is recorded, with the unresolved reference counted.
    let (status, unresolved): (String, String) = conn
        .query_row(
            "SELECT status, unresolved FROM sync_runs ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(status, "complete");
    assert!(
        unresolved.contains("\"user_has_api_key\":1"),
        "{unresolved}"
    );
    assert!(stdout.contains("user_has_api_key 1"), "{stdout}");
}

/// The known world with 230 more users (three pages) and `ips` flexible IPs in each of
/// `zones`.
fn long_listings(zones: &[&str], ips: usize) -> World {
    let mut world = world::known();
    let org = world.org_mut(ORG).unwrap();
    for i in 0..230 {
        let id = format!("00000000-0000-4000-8000-{i:012}");
        org.users
            .push(wire::user(&id, ORG, &format!("user{i}@example.com")));
    }
    for (z, zone) in zones.iter().enumerate() {
        for i in 0..ips {
            let id = format!("00000000-0000-4000-9{z:03}-{i:012}");
            org.zone_mut(zone).ips.push(wire::ip(
                &id,
                ORG,
                PRJ_DEFAULT,
                zone,
                &format!("10.{z}.{}.{}", i / 250, i % 250),
            ));
        }
    }
    world
}

#[test]
fn every_listing_is_filtered_paged_at_100_and_sent_once() {
    let world = long_listings(&["pl-waw-3"], 205);
    let api = start(world, Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (code, stdout, stderr) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(one::<i64>(&db, "SELECT count(*) FROM users"), 232);
    assert_eq!(
        one::<i64>(
            &db,
            "SELECT count(*) FROM flexible_ips WHERE zone = 'pl-waw-3'"
        ),
        205
    );

    // 5 global listings + 6 zonal kinds in 10 zones, one page each, plus the extra pages
    // (users: 3 pages, pl-waw-3 ips: 3 pages) and the organization's details.
    let stats = api.stats();
    assert_eq!(stats.total_requests, 1 + 5 + 60 + 2 + 2, "{stats:?}");
    assert!(
        stdout.contains(&format!("{} requests (0 retries", stats.total_requests)),
        "{stdout}"
    );
}

#[test]
fn long_listings_are_read_a_few_at_a_time() {
    // Three pages of flexible IPs in every zone and of users: eleven long listings, whose
    // pages would all be in flight together if nothing held them back.
    let world = long_listings(inv::config::ALL_ZONES, 250);
    let ips = 250 * inv::config::ALL_ZONES.len() as i64;
    let api = start(world, Faults::none().with_latency(20));
    let dir = temp();
    let db = dir.path().join("inv.db");
    // A budget far above what 20 ms round trips use: only the bound on long listings
    // keeps them apart, not the pacing.
    let (code, stdout, stderr) = sync(dir.path(), &api.url(), &db, &["--rate", "5000"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        one::<i64>(&db, "SELECT count(*) FROM flexible_ips") >= ips,
        "{stdout}"
    );
    let stats = api.stats();
    let at_once = stats.max_listings_past_first_page;
    assert!(
        (2..=inv::sync::LONG_LISTINGS as u64).contains(&at_once),
        "{at_once} long listings read at once: {stats:?}"
    );
    // More requests than long listings were in flight: the permits were not the limit.
    assert!(
        stats.max_in_flight > inv::sync::LONG_LISTINGS as u64,
        "{stats:?}"
    );
}

#[test]
fn a_second_sync_prunes_what_vanished_but_keeps_a_failed_scope() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    assert_eq!(sync(dir.path(), &api.url(), &db, &[]).0, 0);

    let mut world = world::known();
    let org = world.org_mut(ORG).unwrap();
    org.users.retain(|u| u["id"] != BOB);
    org.zone_mut("fr-par-1")
        .ips
        .retain(|ip| ip["id"] != IP_FREE);
    org.zone_mut("nl-ams-2").servers.clear();
    api.set_world(world);
    api.set_faults(Faults::none().with_rule(FaultRule::new(
        "/instance/v1/zones/nl-ams-2/servers",
        FaultAction::permissions_denied("server"),
    )));
    let (code, stdout, stderr) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(stdout.contains("partial"), "{stdout}");
    assert!(
        stdout.contains("FAILED instances nl-ams-2") && stdout.contains("403"),
        "{stdout}"
    );
    assert!(!ids(&db, "SELECT id FROM users").contains(&BOB.to_string()));
    assert!(!ids(
        &db,
        "SELECT flexible_ip_id FROM flexible_ip_identifies_instance"
    )
    .contains(&IP_FREE.to_string()));
    assert!(!ids(&db, "SELECT id FROM flexible_ips").contains(&IP_FREE.to_string()));
    // The denied zone keeps what the last good sync saw.
    assert_eq!(
        ids(&db, "SELECT id FROM instances WHERE zone = 'nl-ams-2'"),
        vec![SERVER_AMS.to_string()]
    );
    let group_members: Vec<String> = ids(
        &db,
        &format!("SELECT user_id FROM user_member_of_group WHERE group_id = '{GROUP}' ORDER BY 1"),
    );
    assert_eq!(group_members, vec![OWNER.to_string(), BOB.to_string()]);
    let errors: String = one(&db, "SELECT errors FROM sync_runs WHERE status = 'partial'");
    assert!(errors.contains("nl-ams-2"), "{errors}");
}

#[test]
fn a_refused_key_changes_nothing_and_says_what_to_check() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    assert_eq!(sync(dir.path(), &api.url(), &db, &[]).0, 0);
    let before: i64 = one(&db, "SELECT count(*) FROM users");

    let mut command = inv(dir.path());
    command
        .args(["sync", "--db"])
        .arg(&db)
        .env("SCW_SECRET_KEY", "00000000-0000-4000-8000-000000000000")
        .env("SCW_DEFAULT_ORGANIZATION_ID", ORG)
        .env("SCW_API_URL", api.url());
    let (output, stdout, stderr) = run(&mut command);
    assert_eq!(output.status.code(), Some(4), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("401") && stderr.contains("SCW_SECRET_KEY"),
        "{stderr}"
    );
    assert_eq!(one::<i64>(&db, "SELECT count(*) FROM users"), before);
    assert_eq!(
        one::<String>(&db, "SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1"),
        "failed"
    );
}

#[test]
fn the_organization_is_found_from_the_access_key() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    let mut command = inv(dir.path());
    command
        .args(["sync", "--db"])
        .arg(&db)
        .env("SCW_ACCESS_KEY", ACCESS_KEY)
        .env("SCW_SECRET_KEY", SECRET)
        .env("SCW_API_URL", api.url());
    let (output, stdout, stderr) = run(&mut command);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert_eq!(
        ids(&db, "SELECT DISTINCT organization_id FROM users"),
        vec![ORG.to_string()]
    );
}

#[test]
fn throttling_and_server_errors_are_retried_to_a_complete_sync() {
    let faults = Faults::none()
        .with_rule(FaultRule::new("/iam/v1alpha1/users", FaultAction::TooManyRequests).times(3))
        .with_rule(
            FaultRule::new(
                "/zones/fr-par-1/servers",
                FaultAction::service_unavailable(),
            )
            .times(2),
        )
        .with_rule(FaultRule::new("/zones/fr-par-1/ips", FaultAction::TruncatedJson).times(1))
        .with_rule(FaultRule::new("/zones/fr-par-1/volumes", FaultAction::DropConnection).times(1));
    let api = start(world::known(), faults);
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (code, stdout, stderr) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("7 retries, 3 throttled"), "{stdout}");
    assert_eq!(
        one::<i64>(
            &db,
            "SELECT count(*) FROM instances WHERE zone = 'fr-par-1'"
        ),
        1
    );
    assert_eq!(one::<i64>(&db, "SELECT count(*) FROM flexible_ips"), 2);
}

#[test]
fn a_scope_that_never_answers_ends_partial_and_named() {
    let faults = Faults::none().with_rule(FaultRule::new(
        "/zones/pl-waw-1/snapshots",
        FaultAction::Hang,
    ));
    let api = start(world::known(), faults);
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (code, stdout, stderr) = sync(
        dir.path(),
        &api.url(),
        &db,
        &["--timeout", "0.5", "--attempts", "2"],
    );
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("FAILED instance_snapshots pl-waw-1") && stdout.contains("no answer"),
        "{stdout}"
    );
}

#[test]
fn a_field_of_the_wrong_type_fails_its_scope_naming_the_field() {
    let faults = Faults::none().with_rule(FaultRule::new(
        "/iam/v1alpha1/users",
        FaultAction::mutate("/users/1/mfa", serde_json::json!("yes")),
    ));
    let api = start(world::known(), faults);
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (code, stdout, _) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 3, "{stdout}");
    assert!(
        stdout.contains("FAILED users") && stdout.contains("`mfa`"),
        "{stdout}"
    );
}

#[test]
fn zones_without_the_product_are_skipped_not_failed() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (code, stdout, _) = sync(
        dir.path(),
        &api.url(),
        &db,
        &["--zones", "fr-par-1,it-mil-1"],
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout
            .contains("not available (skipped): block_snapshots it-mil-1, block_volumes it-mil-1"),
        "{stdout}"
    );
    assert_eq!(
        one::<String>(
            &db,
            "SELECT status FROM sync_scopes WHERE kind = 'block_volumes' AND zone = 'it-mil-1'"
        ),
        "unavailable"
    );
}

#[test]
fn a_listing_that_keeps_changing_is_not_pruned() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    assert_eq!(sync(dir.path(), &api.url(), &db, &[]).0, 0);
    let mut world = world::known();
    world.org_mut(ORG).unwrap().users.clear();
    api.set_world(world);
    // Every answer claims more users than it lists.
    api.set_faults(Faults::none().with_rule(FaultRule::new(
        "/iam/v1alpha1/users",
        FaultAction::mutate("/total_count", serde_json::json!(5)),
    )));
    let (code, stdout, _) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 3, "{stdout}");
    assert!(
        stdout.contains("FAILED users") && stdout.contains("changed"),
        "{stdout}"
    );
    assert_eq!(one::<i64>(&db, "SELECT count(*) FROM users"), 2);
}

#[test]
fn the_secret_key_is_nowhere() {
    let api = start(
        world::known(),
        Faults::none().with_rule(FaultRule::new(
            "/zones/fr-par-2/ips",
            FaultAction::server_error(),
        )),
    );
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (_, stdout, stderr) = sync(dir.path(), &api.url(), &db, &["-vvv", "--attempts", "2"]);
    assert!(
        stderr.contains("retrying"),
        "the most verbose log ran: {stderr}"
    );
    for text in [&stdout, &stderr] {
        assert!(!text.contains(SECRET));
    }
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));
    }
}

#[cfg(unix)]
#[test]
fn the_file_and_its_companions_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    assert_eq!(sync(dir.path(), &api.url(), &db, &[]).0, 0);
    // A reader keeps the WAL and SHM files in place while we look at them.
    let conn = Connection::open(&db).unwrap();
    let _: i64 = conn
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
}

#[test]
fn a_second_sync_is_refused_while_one_writes() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    assert_eq!(sync(dir.path(), &api.url(), &db, &[]).0, 0);
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (code, _, stderr) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("another `inv sync` is writing"), "{stderr}");
}

#[cfg(unix)]
/// Whether a process other than this one holds a lock on any byte of the file.
#[cfg(unix)]
fn locked_by_another_process(path: &Path) -> bool {
    use std::os::unix::io::AsRawFd;
    let file = std::fs::File::open(path).unwrap();
    // SAFETY: a plain C struct, all zeroes is a valid value.
    let mut probe: libc::flock = unsafe { std::mem::zeroed() };
    probe.l_type = libc::F_WRLCK as _;
    probe.l_whence = libc::SEEK_SET as _;
    // From byte 0 to the end and beyond: SQLite locks bytes past the 1 GiB mark.
    probe.l_start = 0;
    probe.l_len = 0;
    // SAFETY: F_GETLK on an open descriptor, with a valid flock to fill in.
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut probe) };
    assert_eq!(rc, 0, "fcntl(F_GETLK)");
    i32::from(probe.l_type) != libc::F_UNLCK
}

/// SQLite's locks belong to the process and go with the first descriptor of the file that
/// closes, whoever opened it: nothing else in inv may open and close the file while a sync
/// writes. The sync's process must hold its lock on the file all along, so that another
/// process does not take the file for unused (and delete the WAL under the open
/// transaction when it closes it), and a second sync is refused.
#[cfg(unix)]
#[test]
fn a_sync_keeps_its_locks_while_others_open_the_file() {
    let api = start(world::known(), Faults::none().with_latency(500));
    let dir = temp();
    let db = dir.path().join("inv.db");
    let mut first = spawn_sync(dir.path(), &api.url(), &db);
    // Into the second round of listings, and a while longer: the sync has held its
    // transaction for more than a second.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while api.stats().total_requests < 17 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert!(
        first.try_wait().unwrap().is_none(),
        "the sync ended too soon"
    );
    assert!(locked_by_another_process(&db), "the sync lost its lock");

    let reader = Connection::open(&db).unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    drop(reader);
    assert!(dir.path().join("inv.db-wal").exists());
    let (code, _, stderr) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("another `inv sync` is writing"), "{stderr}");

    assert_eq!(first.wait().unwrap().code(), Some(0));
    let check: String = one(&db, "PRAGMA integrity_check");
    assert_eq!(check, "ok");
    assert_eq!(
        one::<i64>(&db, "SELECT count(*) FROM users"),
        world::known().org_mut(ORG).unwrap().users.len() as i64
    );
}

#[test]
fn a_killed_sync_leaves_the_last_inventory_intact() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    assert_eq!(sync(dir.path(), &api.url(), &db, &[]).0, 0);
    let before = ids(&db, "SELECT id FROM users ORDER BY id");

    let mut world = world::known();
    world.org_mut(ORG).unwrap().users.clear();
    api.set_world(world);
    api.set_faults(Faults::none().with_latency(300));
    let requests_before = api.stats().total_requests;
    let mut child = spawn_sync(dir.path(), &api.url(), &db);
    // Wait until the sync is well into its listings, then kill it without warning.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while api.stats().total_requests < requests_before + 30 && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let conn = Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(ids(&db, "SELECT id FROM users ORDER BY id"), before);
    drop(conn);
    api.set_faults(Faults::none());
    let (code, stdout, _) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(ids(&db, "SELECT id FROM users").is_empty());
}

#[test]
fn a_listing_that_repeats_an_object_is_not_pruned() {
    let api = start(world::known(), Faults::none());
    let dir = temp();
    let db = dir.path().join("inv.db");
    assert_eq!(sync(dir.path(), &api.url(), &db, &[]).0, 0);
    // The owner served twice, in Bob's place: the count adds up, Bob is missing.
    let owner = world::known().org(ORG).unwrap().users[0].clone();
    api.set_faults(Faults::none().with_rule(FaultRule::new(
        "/iam/v1alpha1/users",
        FaultAction::mutate("/users/1", owner),
    )));
    let (code, stdout, _) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 3, "{stdout}");
    assert!(
        stdout.contains("FAILED users") && stdout.contains("2 objects listed but only 1 distinct"),
        "{stdout}"
    );
    assert!(ids(&db, "SELECT id FROM users").contains(&BOB.to_string()));
}

#[test]
fn malformed_bodies_missing_scopes_and_empty_pages() {
    let mut world = world::known();
    let org = world.org_mut(ORG).unwrap();
    for i in 0..150 {
        let id = format!("00000000-0000-4000-a000-{i:012}");
        org.zone_mut("nl-ams-3").ips.push(wire::ip(
            &id,
            ORG,
            PRJ_DEFAULT,
            "nl-ams-3",
            &format!("10.1.0.{i}"),
        ));
    }
    let faults = Faults::none()
        // Garbage once is a transport accident: retried.
        .with_rule(FaultRule::new("/iam/v1alpha1/groups", FaultAction::MalformedJson).times(1))
        // A scope the API says does not exist fails alone.
        .with_rule(FaultRule::new(
            "/zones/pl-waw-2/volumes",
            FaultAction::not_found("instance_volume", "x"),
        ))
        // The second page of a listing comes back empty although the total says 150.
        .with_rule(FaultRule::new("/zones/nl-ams-3/ips", FaultAction::EmptyPage).query("page=2"));
    let api = start(world, faults);
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (code, stdout, stderr) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert_eq!(one::<i64>(&db, "SELECT count(*) FROM groups"), 1);
    assert!(
        stdout.contains("FAILED instance_volumes pl-waw-2") && stdout.contains("404"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAILED flexible_ips nl-ams-3") && stdout.contains("changed"),
        "{stdout}"
    );
    // What the first page held is stored all the same.
    assert_eq!(
        one::<i64>(
            &db,
            "SELECT count(*) FROM flexible_ips WHERE zone = 'nl-ams-3'"
        ),
        100
    );
    assert!(!stdout.contains("FAILED groups"), "{stdout}");
}

#[test]
fn an_absurd_total_stops_at_the_page_bound_instead_of_looping() {
    let api = start(
        world::known(),
        Faults::none().with_rule(FaultRule::new(
            "/iam/v1alpha1/applications",
            FaultAction::mutate("/total_count", serde_json::json!(5_000_000_000u64)),
        )),
    );
    let dir = temp();
    let db = dir.path().join("inv.db");
    let (code, stdout, _) = sync(dir.path(), &api.url(), &db, &[]);
    assert_eq!(code, 3, "{stdout}");
    assert!(
        stdout.contains("FAILED applications") && stdout.contains("more than 10000 pages"),
        "{stdout}"
    );
    // One request for the listing, none for the pages it claimed.
    assert_eq!(
        api.stats().requests_matching("/iam/v1alpha1/applications"),
        1
    );
}
