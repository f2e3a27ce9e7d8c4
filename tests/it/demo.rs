//! The README's first command: `inv sync --demo` on a machine with no account, no SCW_*
//! variable and an empty HOME, then questions that all have answers.

use crate::support::{inv, run, temp};

#[test]
fn the_demo_syncs_through_the_real_path_and_every_question_has_findings() {
    let dir = temp();
    let db = dir.path().join("demo.db");
    let (output, stdout, stderr) = run(inv(dir.path()).args(["sync", "--demo", "--db"]).arg(&db));
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("complete")
            && stdout.contains("not available (skipped): block_snapshots it-mil-1"),
        "{stdout}"
    );

    // The 106 flexible IPs of fr-par-2 came in two pages.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let pages: i64 = conn
        .query_row(
            "SELECT pages FROM sync_scopes WHERE kind = 'flexible_ips' AND zone = 'fr-par-2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pages, 2);

    let (output, stdout, _) = run(inv(dir.path())
        .args(["query", "no-mfa", "--format", "json", "--db"])
        .arg(&db));
    assert!(output.status.success());
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(rows.as_array().is_some_and(|r| !r.is_empty()), "{stdout}");

    let (output, stdout, stderr) = run(inv(dir.path())
        .args([
            "audit",
            "--format",
            "json",
            "--now",
            inv::fakeapi::DEMO_NOW,
            "--db",
        ])
        .arg(&db));
    assert!(output.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let questions = report["questions"].as_array().unwrap();
    assert!(questions.len() >= 25);
    let silent: Vec<&str> = questions
        .iter()
        .filter(|q| q["count"].as_u64() == Some(0))
        .filter_map(|q| q["name"].as_str())
        .collect();
    assert!(
        silent.is_empty(),
        "questions without findings on the demo: {silent:?}"
    );
    assert_eq!(report["sync"]["status"], "complete");
}
