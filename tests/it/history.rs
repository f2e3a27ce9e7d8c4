//! Change history end to end: the real binary syncs successive states of the known
//! organization, and `inv diff` / `inv history` must list exactly the differences between
//! them, written out here from how the states were built, never from the stored rows.

use std::path::Path;

use inv::fakeapi::{self, wire, FaultAction, FaultRule, Faults, World};
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::support::{inv, run, temp};
use crate::world::{self, *};

const NEW_HIRE: &str = "c0ffee00-0000-4000-8000-000000000001";
const CONTRACTOR: &str = "c0ffee00-0000-4000-8000-000000000002";
const KEY_NEW: &str = "SCWNEWKEY00000000000";

fn sync(home: &Path, url: &str, db: &Path) -> (i32, String, String) {
    let mut command = inv(home);
    command
        .args(["sync", "--db"])
        .arg(db)
        .args(["--timeout", "2", "--zones", "fr-par-1,nl-ams-2"])
        .env("SCW_ACCESS_KEY", ACCESS_KEY)
        .env("SCW_SECRET_KEY", SECRET)
        .env("SCW_DEFAULT_ORGANIZATION_ID", ORG)
        .env("SCW_API_URL", url);
    let (output, stdout, stderr) = run(&mut command);
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// Runs `inv` with `args` on `db`: exit status, stdout, stderr.
fn inv_on(home: &Path, db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut command = inv(home);
    command.args(args).arg("--db").arg(db);
    let (output, stdout, stderr) = run(&mut command);
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

fn json_of(home: &Path, db: &Path, args: &[&str]) -> Vec<Value> {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let (code, stdout, stderr) = inv_on(home, db, &args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    assert_eq!(stderr, "", "{args:?}: nothing but the result is written");
    serde_json::from_str(&stdout).expect("JSON on stdout")
}

fn one<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    Connection::open(db)
        .expect("open")
        .query_row(sql, [], |r| r.get(0))
        .expect("one row")
}

/// The wire object with this `id` in a list.
fn find<'a>(list: &'a mut [Value], id: &str) -> &'a mut Value {
    list.iter_mut()
        .find(|o| o["id"] == id || o["access_key"] == id)
        .unwrap_or_else(|| panic!("{id} in the world"))
}

/// State B: the known organization with users added, an instance removed, the owner's MFA
/// turned off, a project renamed, a key added, an IP released from its server and a new
/// user joining a group.
fn state_b() -> World {
    let mut world = world::known();
    let org = world.org_mut(ORG).expect("the known organization");
    org.users
        .push(wire::user(NEW_HIRE, ORG, "new.hire@example.com"));
    org.users
        .push(wire::user(CONTRACTOR, ORG, "temp.contractor@example.com"));
    find(&mut org.users, OWNER)["mfa"] = false.into();
    find(&mut org.projects, PRJ_PROD)["name"] = "prod".into();
    org.api_keys
        .push(wire::user_api_key(KEY_NEW, BOB, PRJ_DEFAULT));
    find(&mut org.groups, GROUP)["user_ids"] = json!([OWNER, BOB, NEW_HIRE]);
    org.zone_mut("nl-ams-2")
        .servers
        .retain(|s| s["id"] != SERVER_AMS);
    let paris = org.zone_mut("fr-par-1");
    let ip = find(&mut paris.ips, IP_ATTACHED);
    ip["server"] = Value::Null;
    ip["state"] = "detached".into();
    let server = find(&mut paris.servers, SERVER);
    server["public_ip"] = Value::Null;
    server["public_ips"] = json!([]);
    world
}

/// State C, after B: the owner's MFA back on, the contractor gone, the project renamed
/// again, the new key given a description.
fn state_c() -> World {
    let mut world = state_b();
    let org = world.org_mut(ORG).expect("the known organization");
    find(&mut org.users, OWNER)["mfa"] = true.into();
    org.users.retain(|u| u["id"] != CONTRACTOR);
    find(&mut org.projects, PRJ_PROD)["name"] = "prod-eu".into();
    find(&mut org.api_keys, KEY_NEW)["description"] = "deploy".into();
    world
}

/// One entry of `inv diff --format json`; `fields` as `{field: [old, new]}`.
fn entry(
    kind: &str,
    id: &str,
    name: Option<&str>,
    change: &str,
    fields: Value,
    sync_id: i64,
) -> Value {
    let fields = match fields {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, pair)| (k, json!({"old": pair[0], "new": pair[1]})))
                .collect(),
        ),
        other => other,
    };
    json!({"kind": kind, "id": id, "name": name, "change": change, "fields": fields, "sync_id": sync_id})
}

fn pair(a: &str, b: &str) -> String {
    format!("{a} {b}")
}

/// The server's public addresses in state A, as the fake serves them.
fn server_in_a(field: &str) -> Value {
    let a = world::known();
    let paris = &a.org(ORG).expect("org").zones["fr-par-1"];
    let server = paris
        .servers
        .iter()
        .find(|s| s["id"] == SERVER)
        .expect("the server");
    server[field].clone()
}

/// What changed from A to B, in `inv diff`'s order: kinds (entities, then relationships)
/// in schema order, then ids.
fn a_to_b(sync_id: i64) -> Vec<Value> {
    vec![
        entry(
            "projects",
            PRJ_PROD,
            Some("prod"),
            "modified",
            json!({"name": ["production", "prod"]}),
            sync_id,
        ),
        entry(
            "users",
            NEW_HIRE,
            Some("new.hire@example.com"),
            "added",
            Value::Null,
            sync_id,
        ),
        entry(
            "users",
            CONTRACTOR,
            Some("temp.contractor@example.com"),
            "added",
            Value::Null,
            sync_id,
        ),
        entry(
            "users",
            OWNER,
            Some("marie.dupont@example.com"),
            "modified",
            json!({"mfa": [true, false]}),
            sync_id,
        ),
        entry(
            "groups",
            GROUP,
            Some("ops"),
            "modified",
            json!({"user_ids": [[OWNER, BOB], [OWNER, BOB, NEW_HIRE]]}),
            sync_id,
        ),
        entry("api_keys", KEY_NEW, None, "added", Value::Null, sync_id),
        entry(
            "instances",
            SERVER,
            Some("web-01"),
            "modified",
            json!({
                "public_ip": [server_in_a("public_ip"), null],
                "public_ips": [server_in_a("public_ips"), []]
            }),
            sync_id,
        ),
        entry(
            "instances",
            SERVER_AMS,
            Some("batch-01"),
            "removed",
            Value::Null,
            sync_id,
        ),
        entry(
            "flexible_ips",
            IP_ATTACHED,
            Some("51.15.201.34"),
            "modified",
            json!({
                "server": [{"id": SERVER, "name": "web-01"}, null],
                "state": ["attached", "detached"]
            }),
            sync_id,
        ),
        entry(
            "user_member_of_group",
            &pair(NEW_HIRE, GROUP),
            Some("new.hire@example.com -> ops"),
            "added",
            Value::Null,
            sync_id,
        ),
        entry(
            "user_has_api_key",
            &pair(BOB, KEY_NEW),
            Some(&format!("bob.martin@example.com -> {KEY_NEW}")),
            "added",
            Value::Null,
            sync_id,
        ),
        entry(
            "flexible_ip_identifies_instance",
            &pair(IP_ATTACHED, SERVER),
            Some("51.15.201.34 -> web-01"),
            "removed",
            Value::Null,
            sync_id,
        ),
    ]
}

/// Sorts by id within each kind, as `inv diff` does (the lists above are written by hand).
fn in_diff_order(mut entries: Vec<Value>) -> Vec<Value> {
    let kinds = inv::history::kinds();
    let rank = |e: &Value| {
        let kind = e["kind"].as_str().unwrap_or("");
        (
            kinds.iter().position(|k| *k == kind),
            e["id"].as_str().unwrap_or("").to_string(),
        )
    };
    entries.sort_by_key(rank);
    entries
}

#[test]
fn diff_lists_exactly_the_known_changes_then_collapses_ranges() {
    let api = fakeapi::start_in_thread(world::known(), Faults::none()).expect("the fake API");
    let dir = temp();
    let home = dir.path();
    let db = home.join("inv.db");

    // The baseline records nothing, and `inv diff` says why it has nothing to compare.
    let (code, stdout, stderr) = sync(home, &api.url(), &db);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(one::<i64>(&db, "SELECT count(*) FROM changes"), 0);
    assert_eq!(
        one::<Option<i64>>(&db, "SELECT changes FROM sync_runs WHERE id = 1"),
        None
    );
    let (code, _, stderr) = inv_on(home, &db, &["diff"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("fewer than two syncs"), "{stderr}");

    api.set_world(state_b());
    let (code, stdout, stderr) = sync(home, &api.url(), &db);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let expected = in_diff_order(a_to_b(2));
    assert_eq!(json_of(home, &db, &["diff"]), expected);
    assert_eq!(
        one::<i64>(&db, "SELECT changes FROM sync_runs WHERE id = 2"),
        expected.len() as i64
    );

    // The same changes in the other formats.
    let (code, table, _) = inv_on(home, &db, &["diff"]);
    assert_eq!(code, 0);
    assert!(
        table.starts_with("Changes from sync #1 (20")
            && table.contains(&format!("organization Acme ({ORG}): {}", expected.len())),
        "{table}"
    );
    assert!(table.contains("mfa: true → false"), "{table}");
    let (_, csv, _) = inv_on(home, &db, &["diff", "--format", "csv"]);
    assert!(
        csv.starts_with("kind,id,name,change,fields,sync_id\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), expected.len() + 1);
    assert!(
        csv.contains(&format!(
            "\nusers,{NEW_HIRE},new.hire@example.com,added,,2\n"
        )),
        "{csv}"
    );
    let (_, markdown, _) = inv_on(home, &db, &["diff", "--format", "markdown"]);
    assert!(
        markdown.contains("| kind | id | name | change | fields |"),
        "{markdown}"
    );

    // The owner's timeline shows the flag flip; the new hire's its arrival and its group.
    let owner = json_of(home, &db, &["history", "users", OWNER]);
    assert_eq!(owner.len(), 1, "{owner:?}");
    assert_eq!(owner[0]["sync_id"], 2);
    assert_eq!(owner[0]["change"], "modified");
    assert_eq!(
        owner[0]["fields"],
        json!({"mfa": {"old": true, "new": false}})
    );
    assert!(owner[0]["synced_at"]
        .as_str()
        .is_some_and(|t| t.starts_with("20")));
    let (code, table, _) = inv_on(home, &db, &["history", "users", OWNER]);
    assert_eq!(code, 0);
    assert!(table.contains("mfa: true → false"), "{table}");
    let hire: Vec<(Value, Value)> = json_of(home, &db, &["history", "users", NEW_HIRE])
        .into_iter()
        .map(|e| (e["kind"].clone(), e["change"].clone()))
        .collect();
    assert_eq!(
        hire,
        vec![
            (json!("users"), json!("added")),
            (json!("user_member_of_group"), json!("added"))
        ]
    );

    // State C: some of B's changes are undone or taken further.
    api.set_world(state_c());
    let (code, stdout, stderr) = sync(home, &api.url(), &db);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let b_to_c = in_diff_order(vec![
        entry(
            "projects",
            PRJ_PROD,
            Some("prod-eu"),
            "modified",
            json!({"name": ["prod", "prod-eu"]}),
            3,
        ),
        entry(
            "users",
            CONTRACTOR,
            Some("temp.contractor@example.com"),
            "removed",
            Value::Null,
            3,
        ),
        entry(
            "users",
            OWNER,
            Some("marie.dupont@example.com"),
            "modified",
            json!({"mfa": [false, true]}),
            3,
        ),
        entry(
            "api_keys",
            KEY_NEW,
            Some("deploy"),
            "modified",
            json!({"description": ["", "deploy"]}),
            3,
        ),
    ]);
    assert_eq!(json_of(home, &db, &["diff"]), b_to_c);
    assert_eq!(json_of(home, &db, &["diff", "--from", "2"]), b_to_c);
    assert_eq!(json_of(home, &db, &["diff", "--to", "2"]), expected);

    // From A to C: added then removed is nothing, a flag flipped back is nothing, two
    // renames are one, added then modified is added.
    let mut a_to_c: Vec<Value> = a_to_b(2)
        .into_iter()
        .filter(|e| e["id"] != CONTRACTOR && e["id"] != OWNER)
        .map(|mut e| {
            if e["id"] == PRJ_PROD {
                e = entry(
                    "projects",
                    PRJ_PROD,
                    Some("prod-eu"),
                    "modified",
                    json!({"name": ["production", "prod-eu"]}),
                    3,
                );
            } else if e["id"] == KEY_NEW {
                e = entry("api_keys", KEY_NEW, Some("deploy"), "added", Value::Null, 3);
            }
            e
        })
        .collect();
    a_to_c = in_diff_order(a_to_c);
    assert_eq!(
        json_of(home, &db, &["diff", "--from", "#1", "--to", "3"]),
        a_to_c
    );
    let users: Vec<Value> = a_to_c
        .iter()
        .filter(|e| e["kind"] == "users")
        .cloned()
        .collect();
    assert_eq!(users.len(), 1);
    assert_eq!(
        json_of(home, &db, &["diff", "--from", "1", "--kind", "users"]),
        users
    );

    // Nothing changed: an empty diff, said plainly on the terminal.
    let (code, stdout, stderr) = sync(home, &api.url(), &db);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(json_of(home, &db, &["diff"]), Vec::<Value>::new());
    let (_, table, _) = inv_on(home, &db, &["diff"]);
    assert!(table.trim_end().ends_with(": 0"), "{table}");

    // Questions that cannot be answered are usage errors that say why.
    for (args, messages) in [
        (
            vec!["diff", "--to", "9"],
            vec!["no sync #9 in this inventory (the last is #4"],
        ),
        (
            vec!["diff", "--from", "3", "--to", "2"],
            vec!["must be an earlier sync"],
        ),
        (vec!["diff", "--from", "0"], vec!["expected a sync number"]),
        (
            vec!["diff", "--kind", "user"],
            vec!["unknown kind \"user\"", "did you mean", "users"],
        ),
        (
            vec!["history", "instance", SERVER],
            vec!["did you mean", "instances"],
        ),
        (
            vec!["history", "users", "nobody"],
            vec!["no users with id \"nobody\""],
        ),
    ] {
        let (code, stdout, stderr) = inv_on(home, &db, &args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        for message in messages {
            assert!(stderr.contains(message), "{args:?}: {stderr}");
        }
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
    let other = home.join("missing.db");
    let (code, _, stderr) = inv_on(home, &other, &["diff"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(!other.exists());
}

#[test]
fn a_partial_sync_reports_no_false_removals() {
    let api = fakeapi::start_in_thread(world::known(), Faults::none()).expect("the fake API");
    let dir = temp();
    let home = dir.path();
    let db = home.join("inv.db");
    assert_eq!(sync(home, &api.url(), &db).0, 0);

    // Bob and the Amsterdam server are gone, but their listings are refused; a key is new.
    let mut world = world::known();
    let org = world.org_mut(ORG).expect("the known organization");
    org.users.retain(|u| u["id"] != BOB);
    org.zone_mut("nl-ams-2").servers.clear();
    org.api_keys
        .push(wire::user_api_key(KEY_NEW, OWNER, PRJ_DEFAULT));
    api.set_world(world);
    api.set_faults(
        Faults::none()
            .with_rule(FaultRule::new(
                "/iam/v1alpha1/users",
                FaultAction::permissions_denied("user"),
            ))
            .with_rule(FaultRule::new(
                "/instance/v1/zones/nl-ams-2/servers",
                FaultAction::permissions_denied("server"),
            )),
    );
    let (code, stdout, stderr) = sync(home, &api.url(), &db);
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    let key_added = vec![
        entry("api_keys", KEY_NEW, None, "added", Value::Null, 2),
        entry(
            "user_has_api_key",
            &pair(OWNER, KEY_NEW),
            Some(&format!("marie.dupont@example.com -> {KEY_NEW}")),
            "added",
            Value::Null,
            2,
        ),
    ];
    assert_eq!(json_of(home, &db, &["diff"]), key_added);

    // Read completely, the removals are recorded by the sync that sees them.
    api.set_faults(Faults::none());
    let (code, stdout, stderr) = sync(home, &api.url(), &db);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let removals = vec![
        entry(
            "users",
            BOB,
            Some("bob.martin@example.com"),
            "removed",
            Value::Null,
            3,
        ),
        entry(
            "instances",
            SERVER_AMS,
            Some("batch-01"),
            "removed",
            Value::Null,
            3,
        ),
    ];
    assert_eq!(json_of(home, &db, &["diff"]), removals);
    let mut both = key_added;
    both.extend(removals);
    assert_eq!(
        json_of(home, &db, &["diff", "--from", "1"]),
        in_diff_order(both)
    );
}
