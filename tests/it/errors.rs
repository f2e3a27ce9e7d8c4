//! What a person gets from each mistake a new user makes: one clear message, a documented
//! exit status, never a panic; and what Ctrl-C and concurrent readers see.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use inv::fakeapi::{self, FaultAction, FaultRule, Faults};

use crate::support::{inv, run, temp};
use crate::world::{self, ACCESS_KEY, ORG, SECRET};

fn sync_env(command: &mut std::process::Command, url: &str) {
    command
        .env("SCW_ACCESS_KEY", ACCESS_KEY)
        .env("SCW_SECRET_KEY", SECRET)
        .env("SCW_DEFAULT_ORGANIZATION_ID", ORG)
        .env("SCW_API_URL", url);
}

/// Runs `inv` with these arguments and environment and returns (status, stderr).
fn attempt(home: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = inv(home);
    command.args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let (output, _, stderr) = run(&mut command);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap_or(-1), stderr)
}

#[test]
fn no_credentials_say_what_to_set_and_how_to_try_the_demo() {
    let dir = temp();
    let (code, stderr) = attempt(dir.path(), &["sync", "--db", "x.db"], &[]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("SCW_SECRET_KEY") && stderr.contains("inv sync --demo"),
        "{stderr}"
    );
}

#[test]
fn bad_database_paths_are_named() {
    let dir = temp();
    let home = dir.path();
    let env = [
        ("SCW_SECRET_KEY", SECRET),
        ("SCW_DEFAULT_ORGANIZATION_ID", ORG),
        ("SCW_API_URL", "http://127.0.0.1:9"),
    ];
    let folder = home.display().to_string();
    let (code, stderr) = attempt(home, &["sync", "--db", &folder], &env);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("is a directory"), "{stderr}");

    let text = home.join("notes.txt");
    std::fs::write(
        &text,
        "this is a text file, long enough to look like something",
    )
    .unwrap();
    let (code, stderr) = attempt(home, &["sync", "--db", &text.display().to_string()], &env);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("not a SQLite database"), "{stderr}");
    let (code, stderr) = attempt(
        home,
        &["query", "no-mfa", "--db", &text.display().to_string()],
        &[],
    );
    assert_eq!(code, 5, "{stderr}");

    let nowhere = home.join("no/such/folder/inv.db");
    let (code, stderr) = attempt(
        home,
        &["sync", "--db", &nowhere.display().to_string()],
        &env,
    );
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("cannot create"), "{stderr}");

    let newer = home.join("newer.db");
    drop(inv::store::open_for_write(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'future', '', '0')")
        .unwrap();
    let (code, stderr) = attempt(home, &["status", "--db", &newer.display().to_string()], &[]);
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("newer inv") && stderr.contains("999"),
        "{stderr}"
    );
}

#[test]
fn bad_configuration_is_named() {
    let dir = temp();
    let home = dir.path();
    let config = home.join("config.yaml");
    std::fs::write(&config, "secret_key: [unclosed\nprofiles: {").unwrap();
    let config_path = config.display().to_string();
    let (code, stderr) = attempt(
        home,
        &["sync", "--db", "x.db"],
        &[("SCW_CONFIG_PATH", &config_path)],
    );
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains(&config_path) && stderr.contains("not valid YAML"),
        "{stderr}"
    );

    std::fs::write(
        &config,
        format!("secret_key: {SECRET}\nprofiles:\n  prod:\n    secret_key: {SECRET}\n"),
    )
    .unwrap();
    let (code, stderr) = attempt(
        home,
        &["sync", "--db", "x.db", "--profile", "staging"],
        &[("SCW_CONFIG_PATH", &config_path)],
    );
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("\"staging\"") && stderr.contains("default, prod"),
        "{stderr}"
    );

    let (code, stderr) = attempt(
        home,
        &["sync", "--db", "x.db", "--zones", "paris-1"],
        &[("SCW_SECRET_KEY", SECRET)],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("zone \"paris-1\" is invalid"), "{stderr}");

    let (code, stderr) = attempt(
        home,
        &["sync", "--db", "x.db"],
        &[
            ("SCW_SECRET_KEY", SECRET),
            ("SCW_API_URL", "http://api.example.com"),
        ],
    );
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("unencrypted"), "{stderr}");
    assert!(!stderr.contains(SECRET));
}

#[test]
fn an_unreachable_api_is_said_plainly() {
    let dir = temp();
    let (code, stderr) = attempt(
        dir.path(),
        &["sync", "--db", "x.db", "--attempts", "1"],
        &[
            ("SCW_SECRET_KEY", SECRET),
            ("SCW_DEFAULT_ORGANIZATION_ID", ORG),
            ("SCW_API_URL", "http://127.0.0.1:9"),
        ],
    );
    assert_eq!(code, 6, "{stderr}");
    assert!(stderr.contains("cannot reach the API"), "{stderr}");
}

#[test]
fn a_refused_scope_names_the_permission_set_to_grant() {
    let faults = Faults::none().with_rule(FaultRule::new(
        "/block/v1alpha1/zones/fr-par-1/volumes",
        FaultAction::permissions_denied("volume"),
    ));
    let api = fakeapi::start_in_thread(world::known(), faults).unwrap();
    let dir = temp();
    let mut command = inv(dir.path());
    command.args(["sync", "--db"]).arg(dir.path().join("x.db"));
    sync_env(&mut command, &api.url());
    let (output, stdout, _) = run(&mut command);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("BlockStorageReadOnly"), "{stdout}");
}

#[test]
fn version_and_completions() {
    let dir = temp();
    let (output, stdout, _) = run(inv(dir.path()).arg("--version"));
    assert!(output.status.success());
    assert!(
        stdout.contains(env!("CARGO_PKG_VERSION")) && stdout.contains("schema version"),
        "{stdout}"
    );
    for shell in ["bash", "zsh", "fish"] {
        let (output, stdout, _) = run(inv(dir.path()).args(["completions", shell]));
        assert!(output.status.success());
        assert!(
            stdout.contains("sync") && stdout.contains("demo"),
            "{shell}: {stdout}"
        );
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_a_reader_sees_the_last_sync_meanwhile() {
    let api = fakeapi::start_in_thread(world::known(), Faults::none()).unwrap();
    let dir = temp();
    let db = dir.path().join("inv.db");
    let mut first = inv(dir.path());
    first.args(["sync", "--db"]).arg(&db);
    sync_env(&mut first, &api.url());
    assert!(run(&mut first).0.status.success());

    let mut emptied = world::known();
    emptied.org_mut(ORG).unwrap().users.clear();
    api.set_world(emptied);
    // Slow enough that the sync is still listing when the question and the signal come.
    api.set_faults(Faults::none().with_latency(1500));
    let mut second = inv(dir.path());
    second
        .args(["sync", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    sync_env(&mut second, &api.url());
    let before = api.stats().total_requests;
    let child = second.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while api.stats().total_requests < before + 20 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Mid-sync, a question still reads the last complete sync.
    let (output, stdout, stderr) = run(inv(dir.path())
        .args([
            "query",
            "--sql",
            "SELECT count(*) AS n FROM users",
            "--format",
            "csv",
            "--db",
        ])
        .arg(&db));
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout, "n\n2\n");

    // SAFETY: sending SIGINT to our own child process.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let (_, stdout, _) = run(inv(dir.path())
        .args([
            "query",
            "--sql",
            "SELECT count(*) AS n FROM users",
            "--format",
            "csv",
            "--db",
        ])
        .arg(&db));
    assert_eq!(stdout, "n\n2\n");
}

#[test]
fn a_fake_api_world_or_faults_file_that_cannot_be_used_is_named() {
    let dir = temp();
    let missing = dir.path().join("missing.json");
    let malformed = dir.path().join("faults.json");
    std::fs::write(&malformed, "{not JSON").unwrap();
    for (option, file, expected) in [
        ("--faults", &missing, "cannot read"),
        ("--faults", &malformed, "is not valid"),
        ("--world", &malformed, "is not valid"),
    ] {
        let (code, stderr) = attempt(
            dir.path(),
            &["fake-api", option, file.to_str().unwrap()],
            &[],
        );
        assert_eq!(code, 2, "{option}: {stderr}");
        assert!(
            stderr.contains(expected) && stderr.contains(&*file.to_string_lossy()),
            "{option}: {stderr}"
        );
    }
}
