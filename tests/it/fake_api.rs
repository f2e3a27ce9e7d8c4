//! `inv fake-api` as a process of its own, as used by hand and for outside measurements:
//! the line it prints is enough for `inv sync` to store the whole synthetic organization,
//! and on Ctrl-C it reports the requests it answered.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use inv::fakeapi::{self, SyntheticSpec};
use rusqlite::Connection;

use crate::support::{db_in, inv, run, temp};

/// Kills the server if the test fails before stopping it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// Stopped with SIGINT, as Ctrl-C would.
#[cfg(unix)]
#[test]
fn a_sync_against_the_fake_api_process_stores_its_organization() {
    let dir = temp();
    let faults = dir.path().join("faults.json");
    std::fs::write(
        &faults,
        r#"{"latency_ms": 5, "rate_limit": 500.0, "rules": []}"#,
    )
    .unwrap();
    let mut server = Server(
        inv(dir.path())
            .args(["fake-api", "--synthetic", "300", "--port", "0", "--faults"])
            .arg(&faults)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("inv fake-api starts"),
    );
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let variables: Vec<(&str, &str)> = line
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .collect();
    let names: Vec<&str> = variables.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "SCW_API_URL",
            "SCW_ACCESS_KEY",
            "SCW_SECRET_KEY",
            "SCW_DEFAULT_ORGANIZATION_ID"
        ],
        "{line}"
    );

    let db = db_in(&dir);
    let mut sync = inv(dir.path());
    sync.args(["sync", "--quiet", "--db"])
        .arg(&db)
        .envs(variables);
    let (output, stdout, stderr) = run(&mut sync);
    assert!(output.status.success(), "{stdout}\n{stderr}");

    let (world, _) = fakeapi::synthetic_world(&SyntheticSpec {
        objects: 300,
        seed: 1,
    });
    let conn = Connection::open(&db).unwrap();
    let stored: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM projects) + (SELECT count(*) FROM users)
                  + (SELECT count(*) FROM groups) + (SELECT count(*) FROM applications)
                  + (SELECT count(*) FROM api_keys) + (SELECT count(*) FROM instances)
                  + (SELECT count(*) FROM flexible_ips) + (SELECT count(*) FROM volumes)
                  + (SELECT count(*) FROM volume_snapshots)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored as usize, world.object_count());

    // Ctrl-C: the server stops and reports what it answered, as JSON on stderr.
    unsafe { libc::kill(server.0.id() as libc::pid_t, libc::SIGINT) };
    let status = server.0.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut report = String::new();
    std::io::Read::read_to_string(&mut server.0.stderr.take().unwrap(), &mut report).unwrap();
    let stats: serde_json::Value = serde_json::from_str(report.trim()).expect("stats as JSON");
    let sent = stdout
        .lines()
        .find_map(|l| l.trim().split_once(" requests ("))
        .and_then(|(n, _)| n.parse::<u64>().ok())
        .expect("the sync reports its requests");
    assert_eq!(stats["total_requests"].as_u64(), Some(sent), "{report}");
}
