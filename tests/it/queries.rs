//! `inv query` and `inv audit` against a known world: the expected rows of every question
//! are derived here, in Rust, from the world's structs, never by running the question's
//! SQL; then the real binary answers and the two are compared.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection};
use serde_json::Value;

use crate::support::{inv, run, temp};

const NOW: &str = "2026-12-01T00:00:00Z";
const ORG: &str = "org-1";

// ---------------------------------------------------------------------------------------
// The known world.

struct User {
    id: &'static str,
    email: Option<&'static str>,
    first: &'static str,
    last: &'static str,
    kind: &'static str,
    status: &'static str,
    mfa: Option<bool>,
    locked: Option<bool>,
    last_login: Option<&'static str>,
    created: &'static str,
    root: &'static str,
}

struct Group {
    id: &'static str,
    name: &'static str,
    users: &'static [&'static str],
    apps: &'static [&'static str],
}

struct App {
    id: &'static str,
    name: &'static str,
}

struct Key {
    id: &'static str,
    description: Option<&'static str>,
    created: &'static str,
    expires: Option<&'static str>,
    user: Option<&'static str>,
    app: Option<&'static str>,
    project: Option<&'static str>,
}

struct Project {
    id: &'static str,
    name: &'static str,
}

struct Instance {
    id: &'static str,
    name: Option<&'static str>,
    zone: &'static str,
    state: Option<&'static str>,
    project: &'static str,
    /// The flexible IPs the server lists in `public_ips`.
    public_ips: &'static [&'static str],
    ipv6: Option<&'static str>,
    end_of_service: bool,
    /// (volume id, position) from the server's `volumes` map.
    mounts: &'static [(&'static str, &'static str)],
}

struct Ip {
    id: &'static str,
    address: Option<&'static str>,
    prefix: Option<&'static str>,
    zone: &'static str,
    server: Option<&'static str>,
    project: &'static str,
}

struct Volume {
    id: &'static str,
    name: &'static str,
    api: &'static str,
    zone: &'static str,
    server: Option<&'static str>,
    project: &'static str,
}

struct Snapshot {
    id: &'static str,
    name: &'static str,
    api: &'static str,
    zone: &'static str,
    base: Option<&'static str>,
    state: &'static str,
    created: &'static str,
    project: &'static str,
}

/// One change the syncs recorded, as `changes` stores it: `kind` is a table name, `id`
/// the entity's (for a relationship `"<id> <id>"`), `fields` `{field: [old, new]}`.
struct Recorded {
    sync: i64,
    kind: &'static str,
    id: &'static str,
    change: &'static str,
    fields: Option<Value>,
}

/// The change history of the organization: `syncs` complete syncs numbered from 1, the
/// first the baseline (it records nothing), and what the later ones recorded.
struct History {
    syncs: i64,
    changes: Vec<Recorded>,
}

struct World {
    projects: Vec<Project>,
    users: Vec<User>,
    groups: Vec<Group>,
    apps: Vec<App>,
    keys: Vec<Key>,
    instances: Vec<Instance>,
    ips: Vec<Ip>,
    volumes: Vec<Volume>,
    snapshots: Vec<Snapshot>,
    history: History,
}

fn user(id: &'static str, email: &'static str) -> User {
    User {
        id,
        email: Some(email),
        first: "First",
        last: id,
        kind: "member",
        status: "activated",
        mfa: Some(true),
        locked: Some(false),
        last_login: Some("2026-11-30T08:00:00.000000Z"),
        created: "2024-01-01T00:00:00.000000Z",
        root: "",
    }
}

fn key(id: &'static str, created: &'static str) -> Key {
    Key {
        id,
        description: Some("a key"),
        created,
        expires: None,
        user: Some("u-alice"),
        app: None,
        project: Some("p-prod"),
    }
}

fn instance(id: &'static str, name: &'static str, zone: &'static str) -> Instance {
    Instance {
        id,
        name: Some(name),
        zone,
        state: Some("running"),
        project: "p-prod",
        public_ips: &[],
        ipv6: None,
        end_of_service: false,
        mounts: &[],
    }
}

fn world() -> World {
    World {
        projects: vec![
            Project {
                id: "p-prod",
                name: "prod",
            },
            Project {
                id: "p-staging",
                name: "staging",
            },
        ],
        users: vec![
            // The owner, MFA off: no-mfa and owner-without-mfa.
            User {
                kind: "owner",
                mfa: Some(false),
                root: "acc-root-1",
                ..user("u-owner", "owner@example.com")
            },
            user("u-alice", "alice@example.com"),
            // Last login exactly `days` before :now: not dormant yet.
            User {
                mfa: Some(false),
                last_login: Some("2026-09-02T00:00:00.000000Z"),
                ..user("u-bob", "bob@example.com")
            },
            User {
                locked: Some(true),
                last_login: Some("2026-01-15T10:00:00.000000Z"),
                ..user("u-carol", "carol@example.com")
            },
            // Never logged in.
            User {
                mfa: Some(false),
                last_login: None,
                ..user("u-dave", "dave@example.com")
            },
            // A pending invitation: no MFA, no login, but not "never logged in".
            User {
                status: "invitation_pending",
                mfa: Some(false),
                last_login: None,
                ..user("u-invited", "invited@example.com")
            },
            User {
                kind: "guest",
                last_login: Some("2026-08-01T00:00:00.000000Z"),
                ..user("u-guest", "guest@partner.example")
            },
            // No e-mail and an unknown MFA state (not counted as "false").
            User {
                email: None,
                mfa: None,
                locked: None,
                last_login: Some("2026-11-01T00:00:00.000000Z"),
                ..user("u-erin", "")
            },
            // One microsecond past the dormancy cut-off.
            User {
                last_login: Some("2026-09-01T23:59:59.999999Z"),
                ..user("u-frank", "frank@example.com")
            },
        ],
        groups: vec![
            Group {
                id: "g-admins",
                name: "admins",
                users: &["u-owner", "u-alice"],
                apps: &[],
            },
            Group {
                id: "g-ci",
                name: "ci",
                users: &[],
                apps: &["app-ci"],
            },
            Group {
                id: "g-empty",
                name: "empty",
                users: &[],
                apps: &[],
            },
            // A member who is not in the inventory still makes the group non-empty.
            Group {
                id: "g-ghost",
                name: "ghost",
                users: &["u-deleted"],
                apps: &[],
            },
            Group {
                id: "g-ops",
                name: "ops",
                users: &["u-bob", "u-guest"],
                apps: &[],
            },
        ],
        apps: vec![
            App {
                id: "app-ci",
                name: "ci",
            },
            App {
                id: "app-idle",
                name: "idle",
            },
        ],
        keys: vec![
            key("SCWALICENOEXPIRY000", "2026-06-01T00:00:00.000000Z"),
            // Same creation time as the key above: the id breaks the tie.
            Key {
                description: None,
                ..key("SCWALICENODESC00000", "2026-06-01T00:00:00.000000Z")
            },
            key("SCWALICEOLD0000000", "2025-01-01T00:00:00.000000Z"),
            // Expired one microsecond before :now.
            Key {
                user: None,
                app: Some("app-ci"),
                expires: Some("2026-11-30T23:59:59.999999Z"),
                ..key("SCWEXPIREDPAST0000", "2025-11-01T00:00:00.000000Z")
            },
            // Expires exactly at :now: expiring soon, not expired (and still valid).
            Key {
                user: None,
                app: Some("app-ci"),
                expires: Some("2026-12-01T00:00:00.000000Z"),
                ..key("SCWEXPIRESNOW00000", "2024-01-01T00:00:00.000000Z")
            },
            // Exactly :now + 30 days: outside the half-open window.
            Key {
                user: Some("u-bob"),
                expires: Some("2026-12-31T00:00:00.000000Z"),
                ..key("SCWEXPIRES30D00000", "2026-02-01T00:00:00.000000Z")
            },
            Key {
                user: Some("u-bob"),
                expires: Some("2026-12-30T23:59:59.999999Z"),
                ..key("SCWEXPIRES29D00000", "2026-02-02T00:00:00.000000Z")
            },
            Key {
                user: Some("u-guest"),
                expires: Some("2027-06-01T00:00:00.000000Z"),
                ..key("SCWGUEST0000000000", "2026-03-01T00:00:00.000000Z")
            },
            Key {
                user: Some("u-gone"),
                ..key("SCWORPHANUSER00000", "2026-04-01T00:00:00.000000Z")
            },
            Key {
                user: None,
                app: Some("app-gone"),
                project: Some("p-gone"),
                ..key("SCWORPHANAPP000000", "2026-04-02T00:00:00.000000Z")
            },
            Key {
                user: None,
                app: None,
                ..key("SCWNOOWNER00000000", "2026-04-03T00:00:00.000000Z")
            },
            Key {
                user: Some("u-carol"),
                expires: Some("2026-12-15T00:00:00.000000Z"),
                ..key("SCWCAROL0000000000", "2026-05-01T00:00:00.000000Z")
            },
            Key {
                user: Some("u-owner"),
                description: Some(" "),
                project: None,
                ..key("SCWOWNER0000000000", "2023-05-01T00:00:00.000000Z")
            },
        ],
        instances: vec![
            Instance {
                public_ips: &["ip-web"],
                mounts: &[("vol-web", "0")],
                ..instance("i-web", "web", "fr-par-1")
            },
            Instance {
                state: Some("stopped"),
                mounts: &[("vol-db", "0"), ("vol-data", "1")],
                ..instance("i-db", "db", "fr-par-1")
            },
            Instance {
                ipv6: Some("2001:db8::1"),
                ..instance("i-v6", "v6", "nl-ams-1")
            },
            // Public only through the IP's own server reference; stopped in place.
            Instance {
                state: Some("stopped in place"),
                end_of_service: true,
                mounts: &[("vol-mount-only", "0")],
                ..instance("i-legacy", "legacy", "fr-par-2")
            },
            Instance {
                state: None,
                name: None,
                project: "p-gone",
                ..instance("i-nostate", "", "fr-par-1")
            },
            // Lists an IP whose own record names no server.
            Instance {
                public_ips: &["ip-listed"],
                ..instance("i-listed", "listed", "fr-par-2")
            },
        ],
        ips: vec![
            Ip {
                id: "ip-web",
                address: Some("51.15.0.1"),
                prefix: None,
                zone: "fr-par-1",
                server: Some("i-web"),
                project: "p-prod",
            },
            Ip {
                id: "ip-free",
                address: Some("51.15.0.2"),
                prefix: None,
                zone: "fr-par-1",
                server: None,
                project: "p-prod",
            },
            // Names an instance that is not in the inventory.
            Ip {
                id: "ip-dangling",
                address: Some("51.15.0.3"),
                prefix: None,
                zone: "fr-par-1",
                server: Some("i-deleted"),
                project: "p-staging",
            },
            Ip {
                id: "ip-legacy",
                address: Some("51.15.0.4"),
                prefix: None,
                zone: "fr-par-2",
                server: Some("i-legacy"),
                project: "p-prod",
            },
            Ip {
                id: "ip-listed",
                address: Some("51.15.0.5"),
                prefix: None,
                zone: "fr-par-2",
                server: None,
                project: "p-prod",
            },
            // A routed IPv6 prefix: no address.
            Ip {
                id: "ip-v6prefix",
                address: None,
                prefix: Some("2001:bc8::/64"),
                zone: "fr-par-1",
                server: None,
                project: "p-prod",
            },
        ],
        volumes: vec![
            Volume {
                id: "vol-web",
                name: "web-root",
                api: "instance",
                zone: "fr-par-1",
                server: Some("i-web"),
                project: "p-prod",
            },
            Volume {
                id: "vol-db",
                name: "db-root",
                api: "instance",
                zone: "fr-par-1",
                server: Some("i-db"),
                project: "p-prod",
            },
            Volume {
                id: "vol-data",
                name: "db-data",
                api: "block",
                zone: "fr-par-1",
                server: Some("i-db"),
                project: "p-prod",
            },
            Volume {
                id: "vol-free",
                name: "scratch",
                api: "instance",
                zone: "fr-par-1",
                server: None,
                project: "p-gone",
            },
            Volume {
                id: "vol-block-free",
                name: "archive",
                api: "block",
                zone: "fr-par-2",
                server: None,
                project: "p-staging",
            },
            Volume {
                id: "vol-dangling",
                name: "left-behind",
                api: "instance",
                zone: "fr-par-1",
                server: Some("i-deleted"),
                project: "p-prod",
            },
            // Mounted according to the server only.
            Volume {
                id: "vol-mount-only",
                name: "legacy-root",
                api: "block",
                zone: "fr-par-2",
                server: None,
                project: "p-prod",
            },
        ],
        snapshots: vec![
            Snapshot {
                id: "snap-web",
                name: "web-daily",
                api: "instance",
                zone: "fr-par-1",
                base: Some("vol-web"),
                state: "available",
                created: "2026-11-01T00:00:00.000000Z",
                project: "p-prod",
            },
            // A snapshot of a Block volume, exactly `days` old.
            Snapshot {
                id: "snap-block",
                name: "data-weekly",
                api: "block",
                zone: "fr-par-1",
                base: Some("vol-data"),
                state: "available",
                created: "2026-09-02T00:00:00.000000Z",
                project: "p-prod",
            },
            Snapshot {
                id: "snap-orphan-inst",
                name: "old-root",
                api: "instance",
                zone: "fr-par-1",
                base: Some("vol-deleted"),
                state: "available",
                created: "2026-01-01T00:00:00.000000Z",
                project: "p-prod",
            },
            Snapshot {
                id: "snap-orphan-block",
                name: "old-data",
                api: "block",
                zone: "fr-par-2",
                base: Some("vol-deleted-2"),
                state: "error",
                created: "2026-06-01T00:00:00.000000Z",
                project: "p-staging",
            },
            // Imported: no base volume, so never an orphan.
            Snapshot {
                id: "snap-imported",
                name: "imported",
                api: "instance",
                zone: "fr-par-1",
                base: None,
                state: "invalid_data",
                created: "2025-01-01T00:00:00.000000Z",
                project: "p-prod",
            },
            Snapshot {
                id: "snap-just-old",
                name: "archive-1",
                api: "block",
                zone: "fr-par-2",
                base: Some("vol-block-free"),
                state: "available",
                created: "2026-09-01T23:59:59.999999Z",
                project: "p-staging",
            },
        ],
        history: History {
            syncs: 0,
            changes: vec![],
        },
    }
}

/// The same organization after three syncs, with what the second and third recorded.
fn world_with_history() -> World {
    let change = |sync, kind, id, change| Recorded {
        sync,
        kind,
        id,
        change,
        fields: None,
    };
    let modified = |sync, kind, id, fields: Value| Recorded {
        sync,
        kind,
        id,
        change: "modified",
        fields: Some(fields),
    };
    let v6 =
        serde_json::json!({"address": "2001:db8::1", "gateway": "2001:db8::", "netmask": "64"});
    World {
        history: History {
            syncs: 3,
            changes: vec![
                // Only with syncs=2.
                change(2, "api_keys", "SCWGUEST0000000000", "added"),
                modified(
                    2,
                    "users",
                    "u-dave",
                    serde_json::json!({"mfa": [true, false]}),
                ),
                modified(
                    2,
                    "instances",
                    "i-v6",
                    serde_json::json!({"ipv6": [null, v6]}),
                ),
                change(
                    2,
                    "flexible_ip_identifies_instance",
                    "ip-legacy i-legacy",
                    "added",
                ),
                // Added, then gone.
                change(2, "api_keys", "SCWREMOVED00000000", "added"),
                change(3, "api_keys", "SCWREMOVED00000000", "removed"),
                // Turned off, then on again: not disabled now.
                modified(
                    2,
                    "users",
                    "u-alice",
                    serde_json::json!({"mfa": [true, false]}),
                ),
                modified(
                    3,
                    "users",
                    "u-alice",
                    serde_json::json!({"mfa": [false, true]}),
                ),
                // The latest sync.
                change(3, "api_keys", "SCWCAROL0000000000", "added"),
                change(3, "api_keys", "SCWNOOWNER00000000", "added"),
                change(3, "user_has_api_key", "u-carol SCWCAROL0000000000", "added"),
                modified(
                    3,
                    "users",
                    "u-bob",
                    serde_json::json!({"mfa": [true, false], "updated_at": ["a", "b"]}),
                ),
                // New without MFA, MFA unknown, another field: none was turned off.
                change(3, "users", "u-invited", "added"),
                modified(
                    3,
                    "users",
                    "u-erin",
                    serde_json::json!({"mfa": [true, null]}),
                ),
                modified(
                    3,
                    "users",
                    "u-owner",
                    serde_json::json!({"locked": [false, true]}),
                ),
                change(3, "instances", "i-listed", "added"),
                change(
                    3,
                    "flexible_ip_identifies_instance",
                    "ip-web i-web",
                    "added",
                ),
                // New but not public; an IP detached.
                change(3, "instances", "i-db", "added"),
                change(
                    3,
                    "flexible_ip_identifies_instance",
                    "ip-free i-nostate",
                    "removed",
                ),
            ],
        },
        ..world()
    }
}

// ---------------------------------------------------------------------------------------
// Writing the world to a real inventory file, as a sync would store it.

fn write_world(path: &Path, world: &World) {
    let conn = inv::store::open_for_write(path).expect("a new inventory");
    let lu = "2026-11-30T12:00:00.000000Z";
    conn.execute(
        "INSERT INTO organizations (id, name, lastupdated) VALUES (?1, 'Acme', ?2)",
        params![ORG, lu],
    )
    .unwrap();
    for p in &world.projects {
        conn.execute(
            "INSERT INTO projects (id, name, organization_id, lastupdated, raw) VALUES (?1, ?2, ?3, ?4, '{}')",
            params![p.id, p.name, ORG, lu],
        )
        .unwrap();
    }
    for u in &world.users {
        conn.execute(
            "INSERT INTO users (id, email, first_name, last_name, created_at, last_login_at, type, status,
               mfa, account_root_user_id, locked, organization_id, lastupdated, raw)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, '{}')",
            params![
                u.id, u.email, u.first, u.last, u.created, u.last_login, u.kind, u.status,
                u.mfa, u.root, u.locked, ORG, lu
            ],
        )
        .unwrap();
    }
    for g in &world.groups {
        conn.execute(
            "INSERT INTO groups (id, name, organization_id, lastupdated, raw) VALUES (?1, ?2, ?3, ?4, '{}')",
            params![g.id, g.name, ORG, lu],
        )
        .unwrap();
        for u in g.users {
            conn.execute(
                "INSERT INTO user_member_of_group (user_id, group_id) VALUES (?1, ?2)",
                params![u, g.id],
            )
            .unwrap();
        }
        for a in g.apps {
            conn.execute(
                "INSERT INTO application_member_of_group (application_id, group_id) VALUES (?1, ?2)",
                params![a, g.id],
            )
            .unwrap();
        }
    }
    for a in &world.apps {
        conn.execute(
            "INSERT INTO applications (id, name, organization_id, lastupdated, raw) VALUES (?1, ?2, ?3, ?4, '{}')",
            params![a.id, a.name, ORG, lu],
        )
        .unwrap();
    }
    for k in &world.keys {
        conn.execute(
            "INSERT INTO api_keys (id, description, created_at, expires_at, default_project_id,
               user_id, application_id, organization_id, lastupdated, raw)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '{}')",
            params![
                k.id,
                k.description,
                k.created,
                k.expires,
                k.project,
                k.user,
                k.app,
                ORG,
                lu
            ],
        )
        .unwrap();
        if let Some(u) = k.user {
            conn.execute(
                "INSERT INTO user_has_api_key (user_id, api_key_id) VALUES (?1, ?2)",
                params![u, k.id],
            )
            .unwrap();
        }
        if let Some(a) = k.app {
            conn.execute(
                "INSERT INTO application_has_api_key (application_id, api_key_id) VALUES (?1, ?2)",
                params![a, k.id],
            )
            .unwrap();
        }
    }
    for i in &world.instances {
        // As the API reports it: the addresses of the IPs the server lists.
        let addresses: Vec<&str> = i
            .public_ips
            .iter()
            .filter_map(|id| world.ips.iter().find(|f| f.id == *id))
            .filter_map(|f| f.address)
            .collect();
        conn.execute(
            "INSERT INTO instances (id, name, state, zone, project_id, ipv6_address, end_of_service,
               commercial_type, organization_id, lastupdated, raw, public_ips)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'DEV1-S', ?8, ?9, '{}', ?10)",
            params![
                i.id,
                i.name,
                i.state,
                i.zone,
                i.project,
                i.ipv6,
                i.end_of_service,
                ORG,
                lu,
                serde_json::to_string(&addresses).unwrap()
            ],
        )
        .unwrap();
        for ip in i.public_ips {
            conn.execute(
                "INSERT INTO flexible_ip_identifies_instance (flexible_ip_id, instance_id, seen_from) VALUES (?1, ?2, 'instance')",
                params![ip, i.id],
            )
            .unwrap();
        }
        for (volume, position) in i.mounts {
            conn.execute(
                "INSERT INTO instance_mounts_volume (instance_id, volume_id, position, boot) VALUES (?1, ?2, ?3, 0)",
                params![i.id, volume, position],
            )
            .unwrap();
        }
    }
    for f in &world.ips {
        conn.execute(
            "INSERT INTO flexible_ips (id, address, prefix, zone, server_id, project_id, organization_id, lastupdated, raw)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '{}')",
            params![f.id, f.address, f.prefix, f.zone, f.server, f.project, ORG, lu],
        )
        .unwrap();
        if let Some(server) = f.server {
            conn.execute(
                "INSERT INTO flexible_ip_identifies_instance (flexible_ip_id, instance_id, seen_from) VALUES (?1, ?2, 'flexible_ip')",
                params![f.id, server],
            )
            .unwrap();
        }
    }
    for v in &world.volumes {
        let volume_type = if v.api == "block" {
            "sbs_volume"
        } else {
            "l_ssd"
        };
        conn.execute(
            "INSERT INTO volumes (id, name, size, volume_type, zone, api, server_id, project_id, organization_id, lastupdated, raw)
             VALUES (?1, ?2, 10000000000, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '{}')",
            params![v.id, v.name, volume_type, v.zone, v.api, v.server, v.project, ORG, lu],
        )
        .unwrap();
    }
    for s in &world.snapshots {
        let volume_type = if s.api == "block" {
            "sbs_snapshot"
        } else {
            "l_ssd"
        };
        conn.execute(
            "INSERT INTO volume_snapshots (id, name, volume_type, size, state, creation_date, zone, api,
               base_volume_id, project_id, organization_id, lastupdated, raw)
             VALUES (?1, ?2, ?3, 10000000000, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '{}')",
            params![s.id, s.name, volume_type, s.state, s.created, s.zone, s.api, s.base, s.project, ORG, lu],
        )
        .unwrap();
        if let Some(base) = s.base {
            conn.execute(
                "INSERT INTO volume_has_snapshot (volume_id, snapshot_id) VALUES (?1, ?2)",
                params![base, s.id],
            )
            .unwrap();
        }
    }
}

/// Writes the world's change history as the syncs would have recorded it: one complete
/// sync per number (the first, the baseline, recorded nothing) and its changes.
fn write_history(path: &Path, history: &History) {
    let conn = Connection::open(path).unwrap();
    for sync in 1..=history.syncs {
        let recorded = history.changes.iter().filter(|c| c.sync == sync).count() as i64;
        conn.execute(
            "INSERT INTO sync_runs (id, started_at, finished_at, organization_id, api_url, tool_version,
               schema_version, status, zones, counts, errors, unresolved, requests, retries, throttled, changes)
             VALUES (?1, '2026-11-2' || ?1 || 'T12:00:00.000000Z', '2026-11-2' || ?1 || 'T12:01:00.000000Z', ?2,
               'https://api.scaleway.com', '0.1.0', 3, 'complete', '[\"fr-par-1\"]', '{}', '[]', '{}', 40, 0, 0, ?3)",
            params![sync, ORG, (sync > 1).then_some(recorded)],
        )
        .unwrap();
    }
    for c in &history.changes {
        conn.execute(
            "INSERT INTO changes (sync_id, kind, id, change, fields) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                c.sync,
                c.kind,
                c.id,
                c.change,
                c.fields.as_ref().map(Value::to_string)
            ],
        )
        .unwrap();
    }
}

/// Records a sync run as `inv sync` does.
fn record_sync(path: &Path, status: &str, errors: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute(
        "INSERT INTO sync_runs (started_at, finished_at, organization_id, api_url, tool_version,
           schema_version, status, zones, counts, errors, unresolved, requests, retries, throttled)
         VALUES ('2026-11-30T12:00:00.000000Z', '2026-11-30T12:01:00.000000Z', ?1,
           'https://api.scaleway.com', '0.1.0', 1, ?2, '[\"fr-par-1\"]', '{\"users\": 9}', ?3, '{}', 40, 0, 0)",
        params![ORG, status, errors],
    )
    .unwrap();
}

struct Fixture {
    _dir: tempfile::TempDir,
    home: PathBuf,
    db: PathBuf,
}

fn fixture() -> Fixture {
    fixture_of(&world())
}

fn fixture_of(w: &World) -> Fixture {
    let dir = temp();
    let db = dir.path().join("inventory.db");
    write_world(&db, w);
    write_history(&db, &w.history);
    Fixture {
        home: dir.path().to_path_buf(),
        db,
        _dir: dir,
    }
}

// ---------------------------------------------------------------------------------------
// The expected answers, derived from the structs.

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a world timestamp")
        .with_timezone(&Utc)
}

fn now() -> DateTime<Utc> {
    at(NOW)
}

fn ids<T>(mut items: Vec<(T, &'static str)>) -> Vec<String>
where
    T: Ord,
{
    items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    items.into_iter().map(|(_, id)| id.to_string()).collect()
}

fn users_where(w: &World, keep: impl Fn(&User) -> bool) -> Vec<String> {
    ids(w
        .users
        .iter()
        .filter(|u| keep(u))
        .map(|u| (u.email, u.id))
        .collect())
}

fn keys_by_created(w: &World, keep: impl Fn(&Key) -> bool) -> Vec<String> {
    ids(w
        .keys
        .iter()
        .filter(|k| keep(k))
        .map(|k| (k.created, k.id))
        .collect())
}

fn keys_by_expiry(w: &World, keep: impl Fn(&Key) -> bool) -> Vec<String> {
    ids(w
        .keys
        .iter()
        .filter(|k| keep(k))
        .map(|k| (k.expires, k.id))
        .collect())
}

fn user_of<'a>(w: &'a World, k: &Key) -> Option<&'a User> {
    k.user.and_then(|id| w.users.iter().find(|u| u.id == id))
}

fn is_root(u: &User) -> bool {
    u.kind == "owner" || !u.root.is_empty()
}

fn instance_exists(w: &World, id: Option<&str>) -> bool {
    id.is_some_and(|id| w.instances.iter().any(|i| i.id == id))
}

fn volume_mounted_by(w: &World, v: &Volume) -> Vec<&'static str> {
    let mut by: Vec<&'static str> = w
        .instances
        .iter()
        .filter(|i| i.mounts.iter().any(|(vol, _)| *vol == v.id) || v.server == Some(i.id))
        .map(|i| i.id)
        .collect();
    by.dedup();
    by
}

fn ip_attached(w: &World, f: &Ip) -> bool {
    instance_exists(w, f.server) || w.instances.iter().any(|i| i.public_ips.contains(&f.id))
}

fn snapshots_by_created(w: &World, keep: impl Fn(&Snapshot) -> bool) -> Vec<String> {
    ids(w
        .snapshots
        .iter()
        .filter(|s| keep(s))
        .map(|s| (s.created, s.id))
        .collect())
}

fn instances_by_zone_name(w: &World, keep: impl Fn(&Instance) -> bool) -> Vec<String> {
    ids(w
        .instances
        .iter()
        .filter(|i| keep(i))
        .map(|i| ((i.zone, i.name), i.id))
        .collect())
}

fn is_public(w: &World, i: &Instance) -> bool {
    !i.public_ips.is_empty() || w.ips.iter().any(|f| f.server == Some(i.id)) || i.ipv6.is_some()
}

/// Whether the history holds a change recorded by one of the latest `syncs` syncs.
fn recorded(w: &World, syncs: i64, found: impl Fn(&Recorded) -> bool) -> bool {
    w.history
        .changes
        .iter()
        .any(|c| c.sync > w.history.syncs - syncs && found(c))
}

fn field(c: &Recorded, name: &str) -> Value {
    c.fields
        .as_ref()
        .and_then(|f| f.get(name))
        .cloned()
        .unwrap_or(Value::Null)
}

fn project_known(w: &World, id: Option<&str>) -> bool {
    match id {
        None | Some("") => true,
        Some(id) => w.projects.iter().any(|p| p.id == id),
    }
}

/// Every question, its parameters and the ids it must return, in order.
fn expectations(w: &World) -> Vec<(&'static str, Vec<&'static str>, Vec<String>)> {
    let now = now();
    let days_before = |days: i64| now - Duration::days(days);
    let mut expected = vec![
        ("no-mfa", vec![], users_where(w, |u| u.mfa == Some(false))),
        (
            "owner-without-mfa",
            vec![],
            users_where(w, |u| u.mfa == Some(false) && is_root(u)),
        ),
        (
            "locked-users",
            vec![],
            users_where(w, |u| u.locked == Some(true)),
        ),
        (
            "pending-invitations",
            vec![],
            users_where(w, |u| u.status == "invitation_pending"),
        ),
        (
            "owners-and-guests",
            vec![],
            ids(w
                .users
                .iter()
                .filter(|u| u.kind == "owner" || u.kind == "guest")
                .map(|u| ((u.kind, u.email), u.id))
                .collect()),
        ),
        (
            "users-never-logged-in",
            vec![],
            users_where(w, |u| {
                u.last_login.is_none() && u.status != "invitation_pending"
            }),
        ),
        (
            "users-without-groups",
            vec![],
            users_where(w, |u| !w.groups.iter().any(|g| g.users.contains(&u.id))),
        ),
        (
            "empty-groups",
            vec![],
            ids(w
                .groups
                .iter()
                .filter(|g| g.users.is_empty() && g.apps.is_empty())
                .map(|g| (g.name, g.id))
                .collect()),
        ),
        (
            "applications-without-keys",
            vec![],
            ids(w
                .apps
                .iter()
                .filter(|a| !w.keys.iter().any(|k| k.app == Some(a.id)))
                .map(|a| (a.name, a.id))
                .collect()),
        ),
        (
            "api-keys-no-expiry",
            vec![],
            keys_by_created(w, |k| k.expires.is_none()),
        ),
        (
            "api-keys-expired",
            vec![],
            keys_by_expiry(w, |k| k.expires.is_some_and(|e| at(e) < now)),
        ),
        (
            "api-keys-orphaned",
            vec![],
            keys_by_created(w, |k| {
                let user_missing = k.user.is_some_and(|id| !w.users.iter().any(|u| u.id == id));
                let app_missing = k.app.is_some_and(|id| !w.apps.iter().any(|a| a.id == id));
                user_missing || app_missing || (k.user.is_none() && k.app.is_none())
            }),
        ),
        (
            "api-keys-of-locked-users",
            vec![],
            keys_by_created(w, |k| user_of(w, k).is_some_and(|u| u.locked == Some(true))),
        ),
        (
            "api-keys-of-root-user",
            vec![],
            keys_by_created(w, |k| user_of(w, k).is_some_and(is_root)),
        ),
        (
            "api-keys-of-guests",
            vec![],
            keys_by_created(w, |k| user_of(w, k).is_some_and(|u| u.kind == "guest")),
        ),
        (
            "api-keys-without-description",
            vec![],
            keys_by_created(w, |k| k.description.is_none_or(|d| d.trim().is_empty())),
        ),
        (
            "unattached-ips",
            vec![],
            ids(w
                .ips
                .iter()
                .filter(|f| !ip_attached(w, f))
                .map(|f| ((f.zone, f.address.or(f.prefix)), f.id))
                .collect()),
        ),
        (
            "unmounted-volumes",
            vec![],
            ids(w
                .volumes
                .iter()
                .filter(|v| volume_mounted_by(w, v).is_empty())
                .map(|v| ((v.zone, v.name), v.id))
                .collect()),
        ),
        (
            "volumes-of-stopped-instances",
            vec![],
            ids(w
                .volumes
                .iter()
                .filter(|v| {
                    volume_mounted_by(w, v).iter().any(|id| {
                        w.instances
                            .iter()
                            .any(|i| i.id == *id && i.state != Some("running"))
                    })
                })
                .map(|v| ((v.zone, v.name), v.id))
                .collect()),
        ),
        (
            "orphan-snapshots",
            vec![],
            snapshots_by_created(w, |s| {
                s.base.is_some_and(|b| !w.volumes.iter().any(|v| v.id == b))
            }),
        ),
        (
            "failed-snapshots",
            vec![],
            snapshots_by_created(w, |s| s.state == "error" || s.state == "invalid_data"),
        ),
        (
            "public-instances",
            vec![],
            instances_by_zone_name(w, |i| is_public(w, i)),
        ),
        (
            "stopped-instances",
            vec![],
            instances_by_zone_name(w, |i| i.state != Some("running")),
        ),
        (
            "end-of-service-instances",
            vec![],
            instances_by_zone_name(w, |i| i.end_of_service),
        ),
        (
            "resources-in-unknown-projects",
            vec![],
            ids({
                let mut found: Vec<((&str, &str), &'static str)> = Vec::new();
                for i in &w.instances {
                    if !project_known(w, Some(i.project)) {
                        found.push(((i.project, "instance"), i.id));
                    }
                }
                for f in &w.ips {
                    if !project_known(w, Some(f.project)) {
                        found.push(((f.project, "flexible_ip"), f.id));
                    }
                }
                for v in &w.volumes {
                    if !project_known(w, Some(v.project)) {
                        let kind = if v.api == "block" {
                            "block_volume"
                        } else {
                            "instance_volume"
                        };
                        found.push(((v.project, kind), v.id));
                    }
                }
                for s in &w.snapshots {
                    if !project_known(w, Some(s.project)) {
                        let kind = if s.api == "block" {
                            "block_snapshot"
                        } else {
                            "instance_snapshot"
                        };
                        found.push(((s.project, kind), s.id));
                    }
                }
                for k in &w.keys {
                    if let Some(p) = k.project.filter(|p| !project_known(w, Some(p))) {
                        found.push(((p, "api_key"), k.id));
                    }
                }
                found
            }),
        ),
        ("inventory-summary", vec![], summary_ids(w)),
    ];

    for (days, params) in [(90, vec![]), (200, vec!["days=200"])] {
        let cut = days_before(days);
        expected.push((
            "dormant-users",
            params.clone(),
            ids(w
                .users
                .iter()
                .filter(|u| u.last_login.is_some_and(|l| at(l) < cut))
                .map(|u| (u.last_login, u.id))
                .collect()),
        ));
        expected.push((
            "old-snapshots",
            params,
            snapshots_by_created(w, |s| at(s.created) < cut),
        ));
    }
    for (days, params) in [(30, vec![]), (14, vec!["days=14"]), (0, vec!["days=0"])] {
        let end = now + Duration::days(days);
        expected.push((
            "api-keys-expiring-soon",
            params,
            keys_by_expiry(w, |k| {
                k.expires.is_some_and(|e| now <= at(e) && at(e) < end)
            }),
        ));
    }
    for (syncs, params) in [(1, vec![]), (2, vec!["syncs=2"]), (0, vec!["syncs=0"])] {
        expected.push((
            "new-api-keys",
            params.clone(),
            keys_by_created(w, |k| {
                recorded(w, syncs, |c| {
                    c.kind == "api_keys" && c.id == k.id && c.change == "added"
                })
            }),
        ));
        expected.push((
            "mfa-disabled",
            params.clone(),
            users_where(w, |u| {
                u.mfa == Some(false)
                    && recorded(w, syncs, |c| {
                        c.kind == "users"
                            && c.id == u.id
                            && field(c, "mfa") == serde_json::json!([true, false])
                    })
            }),
        ));
        expected.push((
            "new-public-instances",
            params,
            instances_by_zone_name(w, |i| {
                is_public(w, i)
                    && recorded(w, syncs, |c| {
                        let this = c.id == i.id && c.kind == "instances";
                        (this && c.change == "added")
                            || (this
                                && field(c, "ipv6")[0].is_null()
                                && field(c, "ipv6")[1].is_object())
                            || (c.kind == "flexible_ip_identifies_instance"
                                && c.change == "added"
                                && c.id.split(' ').nth(1) == Some(i.id))
                    })
            }),
        ));
    }
    for (days, params) in [(365, vec![]), (700, vec!["days=700"])] {
        let cut = days_before(days);
        expected.push((
            "old-api-keys",
            params,
            keys_by_created(w, |k| {
                at(k.created) < cut && k.expires.is_none_or(|e| at(e) >= now)
            }),
        ));
    }
    expected
}

fn summary_ids(w: &World) -> Vec<String> {
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    for kind in ["projects", "users", "groups", "applications", "api_keys"] {
        found.insert((kind.to_string(), String::new()));
    }
    for i in &w.instances {
        found.insert(("instances".into(), i.zone.into()));
    }
    for f in &w.ips {
        found.insert(("flexible_ips".into(), f.zone.into()));
    }
    for v in &w.volumes {
        found.insert((format!("{}_volumes", v.api), v.zone.into()));
    }
    for s in &w.snapshots {
        found.insert((format!("{}_snapshots", s.api), s.zone.into()));
    }
    found
        .into_iter()
        .map(|(kind, zone)| {
            if zone.is_empty() {
                kind
            } else {
                format!("{kind}/{zone}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Running the binary.

fn query_json(f: &Fixture, name: &str, params: &[&str]) -> Vec<serde_json::Map<String, Value>> {
    let mut command = inv(&f.home);
    command
        .args(["query", name, "--format", "json", "--now", NOW, "--db"])
        .arg(&f.db);
    for p in params {
        command.args(["--param", p]);
    }
    let (output, stdout, stderr) = run(&mut command);
    assert!(output.status.success(), "{name}: {stderr}");
    assert_eq!(stderr, "", "{name}: nothing but the result is written");
    let rows: Vec<Value> = serde_json::from_str(&stdout).expect("JSON on stdout");
    rows.into_iter()
        .map(|row| match row {
            Value::Object(map) => map,
            other => panic!("{name}: a row is not an object: {other}"),
        })
        .collect()
}

fn built_in_names() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    std::fs::read_dir(&dir)
        .expect("the queries folder")
        .filter_map(|e| {
            let path = e.expect("an entry").path();
            (path.extension()? == "sql").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect()
}

#[test]
fn every_question_returns_the_expected_ids() {
    let w = world_with_history();
    let f = fixture_of(&w);
    let expected = expectations(&w);

    let tested: BTreeSet<String> = expected.iter().map(|(n, _, _)| n.to_string()).collect();
    assert_eq!(
        tested,
        built_in_names(),
        "every file of queries/ has expected answers here"
    );

    let mut failures = Vec::new();
    for (name, params, ids) in &expected {
        let rows = query_json(&f, name, params);
        let got: Vec<String> = rows
            .iter()
            .map(|row| {
                assert_eq!(
                    row.keys().next().map(String::as_str),
                    Some("id"),
                    "{name}: the first column is id"
                );
                match &row["id"] {
                    Value::String(s) => s.clone(),
                    other => panic!("{name}: id {other} is not text"),
                }
            })
            .collect();
        if &got != ids {
            failures.push(format!(
                "{name} {params:?}:\n  expected {ids:?}\n  got      {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The derivations above must not be vacuous: the edge cases are where they are meant to be.
#[test]
fn the_edge_cases_land_where_intended() {
    let w = world();
    let expected = expectations(&w);
    let find = |name: &str, params: &[&str]| -> Vec<String> {
        expected
            .iter()
            .find(|(n, p, _)| *n == name && p.as_slice() == params)
            .map(|(_, _, ids)| ids.clone())
            .unwrap_or_else(|| panic!("{name}"))
    };
    let soon = find("api-keys-expiring-soon", &[]);
    assert!(soon.contains(&"SCWEXPIRESNOW00000".to_string()));
    assert!(soon.contains(&"SCWEXPIRES29D00000".to_string()));
    assert!(!soon.contains(&"SCWEXPIRES30D00000".to_string()));
    let expired = find("api-keys-expired", &[]);
    assert_eq!(expired, vec!["SCWEXPIREDPAST0000"]);
    assert!(find("no-mfa", &[]).contains(&"u-invited".to_string()));
    assert!(!find("no-mfa", &[]).contains(&"u-erin".to_string()));
    assert_eq!(find("users-never-logged-in", &[]), vec!["u-dave"]);
    let dormant = find("dormant-users", &[]);
    assert!(dormant.contains(&"u-frank".to_string()));
    assert!(!dormant.contains(&"u-bob".to_string()));
    let orphans = find("orphan-snapshots", &[]);
    assert_eq!(orphans, vec!["snap-orphan-inst", "snap-orphan-block"]);
    let old = find("old-snapshots", &[]);
    assert!(old.contains(&"snap-just-old".to_string()));
    assert!(!old.contains(&"snap-block".to_string()));
    assert_eq!(
        find("api-keys-orphaned", &[]),
        vec![
            "SCWORPHANUSER00000",
            "SCWORPHANAPP000000",
            "SCWNOOWNER00000000"
        ]
    );
    let unattached = find("unattached-ips", &[]);
    assert_eq!(unattached, vec!["ip-v6prefix", "ip-free", "ip-dangling"]);
    assert_eq!(
        find("unmounted-volumes", &[]),
        vec!["vol-dangling", "vol-free", "vol-block-free"]
    );
    assert_eq!(
        find("public-instances", &[]),
        vec!["i-web", "i-legacy", "i-listed", "i-v6"]
    );
    assert_eq!(
        find("stopped-instances", &[]),
        vec!["i-nostate", "i-db", "i-legacy"]
    );
    assert!(find("api-keys-expiring-soon", &["days=0"]).is_empty());
}

/// A public instance shows the addresses it reports; one known public only from a flexible
/// IP's side shows that IP's address, and one with only IPv6 shows none.
#[test]
fn public_instances_show_their_addresses() {
    let f = fixture();
    let shown: Vec<(String, String)> = query_json(&f, "public-instances", &[])
        .into_iter()
        .map(|row| {
            (
                row["id"].as_str().unwrap().to_string(),
                row["public_ips"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("i-web", r#"["51.15.0.1"]"#),
        ("i-legacy", r#"["51.15.0.4"]"#),
        ("i-listed", r#"["51.15.0.5"]"#),
        ("i-v6", "[]"),
    ];
    assert_eq!(
        shown,
        expected.map(|(id, ips)| (id.to_string(), ips.to_string()))
    );

    // The newly public ones are shown with the same addresses.
    let f = fixture_of(&world_with_history());
    let all = query_json(&f, "public-instances", &[]);
    let new = query_json(&f, "new-public-instances", &[]);
    assert!(!new.is_empty());
    for row in &new {
        let same = all
            .iter()
            .find(|r| r["id"] == row["id"])
            .expect("also public");
        assert_eq!(row["public_ips"], same["public_ips"], "{row:?}");
    }
}

/// The history questions are not vacuous either, and say nothing without a history.
#[test]
fn the_history_edge_cases_land_where_intended() {
    let w = world_with_history();
    let expected = expectations(&w);
    let find = |name: &str, params: &[&str]| -> Vec<String> {
        expected
            .iter()
            .find(|(n, p, _)| *n == name && p.as_slice() == params)
            .map(|(_, _, ids)| ids.clone())
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        find("new-api-keys", &[]),
        vec!["SCWNOOWNER00000000", "SCWCAROL0000000000"]
    );
    assert_eq!(
        find("new-api-keys", &["syncs=2"]),
        vec![
            "SCWGUEST0000000000",
            "SCWNOOWNER00000000",
            "SCWCAROL0000000000"
        ]
    );
    assert_eq!(find("mfa-disabled", &[]), vec!["u-bob"]);
    assert_eq!(find("mfa-disabled", &["syncs=2"]), vec!["u-bob", "u-dave"]);
    assert_eq!(find("new-public-instances", &[]), vec!["i-web", "i-listed"]);
    assert_eq!(
        find("new-public-instances", &["syncs=2"]),
        vec!["i-web", "i-legacy", "i-listed", "i-v6"]
    );
    assert!(find("new-api-keys", &["syncs=0"]).is_empty());
    for (name, _, ids) in expectations(&world()) {
        if ["new-api-keys", "mfa-disabled", "new-public-instances"].contains(&name) {
            assert!(ids.is_empty(), "{name}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Output formats, byte for byte.

fn query_stdout(f: &Fixture, args: &[&str]) -> String {
    let mut command = inv(&f.home);
    command.arg("query").args(args).arg("--db").arg(&f.db);
    let (output, stdout, stderr) = run(&mut command);
    assert!(output.status.success(), "{args:?}: {stderr}");
    stdout
}

const GOLDEN_QUESTION: [&str; 4] = ["owners-and-guests", "--now", NOW, "--format"];

#[test]
fn json_output_is_golden() {
    let f = fixture();
    let out = query_stdout(&f, &[&GOLDEN_QUESTION[..], &["json"]].concat());
    assert_eq!(
        out,
        r#"[
  {
    "id": "u-guest",
    "email": "guest@partner.example",
    "name": "First u-guest",
    "type": "guest",
    "status": "activated",
    "mfa": 1,
    "last_login_at": "2026-08-01T00:00:00.000000Z"
  },
  {
    "id": "u-owner",
    "email": "owner@example.com",
    "name": "First u-owner",
    "type": "owner",
    "status": "activated",
    "mfa": 0,
    "last_login_at": "2026-11-30T08:00:00.000000Z"
  }
]
"#
    );
}

#[test]
fn csv_output_is_golden() {
    let f = fixture();
    let out = query_stdout(&f, &[&GOLDEN_QUESTION[..], &["csv"]].concat());
    assert_eq!(
        out,
        "id,email,name,type,status,mfa,last_login_at\n\
         u-guest,guest@partner.example,First u-guest,guest,activated,1,2026-08-01T00:00:00.000000Z\n\
         u-owner,owner@example.com,First u-owner,owner,activated,0,2026-11-30T08:00:00.000000Z\n"
    );
}

#[test]
fn markdown_output_is_golden() {
    let f = fixture();
    let out = query_stdout(&f, &[&GOLDEN_QUESTION[..], &["markdown"]].concat());
    assert_eq!(
        out,
        "| id | email | name | type | status | mfa | last_login_at |\n\
         |---|---|---|---|---|---|---|\n\
         | u-guest | guest@partner.example | First u-guest | guest | activated | 1 | 2026-08-01T00:00:00.000000Z |\n\
         | u-owner | owner@example.com | First u-owner | owner | activated | 0 | 2026-11-30T08:00:00.000000Z |\n"
    );
}

#[test]
fn table_output_is_golden() {
    let f = fixture();
    let out = query_stdout(&f, &[&GOLDEN_QUESTION[..], &["table"]].concat());
    assert_eq!(out, TABLE_GOLDEN);
}

const TABLE_GOLDEN: &str = "\
┌─────────┬───────────────────────┬───────────────┬───────┬───────────┬─────┬─────────────────────────────┐
│ id      ┆ email                 ┆ name          ┆ type  ┆ status    ┆ mfa ┆ last_login_at               │
╞═════════╪═══════════════════════╪═══════════════╪═══════╪═══════════╪═════╪═════════════════════════════╡
│ u-guest ┆ guest@partner.example ┆ First u-guest ┆ guest ┆ activated ┆ 1   ┆ 2026-08-01T00:00:00.000000Z │
│ u-owner ┆ owner@example.com     ┆ First u-owner ┆ owner ┆ activated ┆ 0   ┆ 2026-11-30T08:00:00.000000Z │
└─────────┴───────────────────────┴───────────────┴───────┴───────────┴─────┴─────────────────────────────┘
";

// ---------------------------------------------------------------------------------------
// The library, names and parameters.

#[test]
fn list_shows_every_file_of_the_queries_folder() {
    let f = fixture();
    let out = query_stdout(&f, &["--list", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    let listed: BTreeSet<String> = rows
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, built_in_names());
    for row in &rows {
        for field in ["severity", "title", "description"] {
            assert!(
                !row[field].as_str().unwrap_or("").is_empty(),
                "{row}: {field}"
            );
        }
    }
    let table = query_stdout(&f, &["--list"]);
    for name in built_in_names() {
        assert!(table.contains(&name), "{name} in the table");
    }
    assert!(built_in_names().len() >= 25);
}

#[test]
fn the_documentation_lists_every_question() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let library = inv::query::Library::built_in().unwrap();
    for question in library.questions() {
        let row = format!(
            "| `{}` | {} | {} |",
            question.name, question.header.severity, question.header.title
        );
        assert!(doc.contains(&row), "README.md lacks the row {row}");
    }
}

fn failing(f: &Fixture, args: &[&str]) -> (i32, String, String) {
    let mut command = inv(&f.home);
    command.args(args).arg("--db").arg(&f.db);
    let (output, stdout, stderr) = run(&mut command);
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

#[test]
fn an_unknown_name_suggests_the_closest() {
    let f = fixture();
    let (code, stdout, stderr) = failing(&f, &["query", "no-mfaa"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("no question is named `no-mfaa`; did you mean `no-mfa`?"),
        "{stderr}"
    );
    let (code, _, stderr) = failing(&f, &["query", "zzzzzzzz"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("inv query --list"), "{stderr}");
}

#[test]
fn bad_parameters_and_times_are_usage_errors() {
    let f = fixture();
    for (args, message) in [
        (
            vec!["query", "dormant-users", "--param", "days=abc"],
            "--param days: `days` expects a whole number from 0 to 36500, not \"abc\"",
        ),
        (
            vec!["query", "dormant-users", "--param", "days=-5"],
            "expects a whole number",
        ),
        (
            vec!["query", "dormant-users", "--param", "dayz=5"],
            "`dormant-users` has no parameter `dayz` (it takes days)",
        ),
        (
            vec!["query", "no-mfa", "--param", "days=5"],
            "`no-mfa` has no parameter `days` (it takes none)",
        ),
        (
            vec!["query", "no-mfa", "--param", "days"],
            "expected KEY=VALUE",
        ),
        (
            vec!["query", "no-mfa", "--now", "last tuesday"],
            "--now \"last tuesday\" is not an RFC 3339 time",
        ),
        (
            vec!["audit", "--param", "dayz=5"],
            "no question takes a parameter `dayz`",
        ),
        (vec!["audit", "--now", "2026-13-01T00:00:00Z"], "--now"),
        (vec!["query"], "give the name of a question"),
    ] {
        let (code, stdout, stderr) = failing(&f, &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(stdout, "", "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_parameter_changes_the_answer() {
    let f = fixture();
    let all = query_json(&f, "old-snapshots", &["days=0"]);
    let fewer = query_json(&f, "old-snapshots", &["days=400"]);
    assert_eq!(all.len(), world().snapshots.len());
    assert_eq!(fewer.len(), 1);
}

#[test]
fn ad_hoc_sql_binds_now_and_parameters() {
    let f = fixture();
    let out = query_stdout(
        &f,
        &[
            "--sql",
            "SELECT :now AS id, :n + 1 AS n, :s AS s",
            "--param",
            "n=41",
            "--param",
            "s=x'); DROP TABLE users; --",
            "--now",
            "2026-12-01T01:00:00+01:00",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        out,
        "id,n,s\n2026-12-01T00:00:00.000000Z,42,x'); DROP TABLE users; --\n"
    );
}

#[test]
fn a_query_cannot_write() {
    let f = fixture();
    let (code, stdout, stderr) = failing(&f, &["query", "--sql", "DELETE FROM users"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("read-only"), "{stderr}");
    let (code, _, stderr) = failing(
        &f,
        &["query", "--sql", "UPDATE users SET mfa = 1 RETURNING id"],
    );
    assert_ne!(code, 0);
    assert!(stderr.contains("read-only"), "{stderr}");
    let conn = Connection::open(&f.db).unwrap();
    let users: i64 = conn
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(users, world().users.len() as i64);
}

#[test]
fn a_missing_inventory_is_a_database_error() {
    let dir = temp();
    let mut command = inv(dir.path());
    command
        .args(["query", "no-mfa", "--db"])
        .arg(dir.path().join("absent.db"));
    let (output, stdout, stderr) = run(&mut command);
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(stdout, "");
    assert!(stderr.contains("no inventory at"), "{stderr}");
}

// ---------------------------------------------------------------------------------------
// The user's folder.

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_user_folder_overrides_and_extends_the_library() {
    let f = fixture();
    let mine = temp();
    write(
        mine.path(),
        "no-mfa.sql",
        "-- title: Mine\n-- severity: low\n-- description: overridden\n\nSELECT id FROM users WHERE id = 'u-alice';\n",
    );
    write(
        mine.path(),
        "by-email.sql",
        "-- title: By e-mail\n-- severity: info\n-- description: one user\n-- param: email = alice@example.com : whose\n\nSELECT id, email FROM users WHERE email = :email;\n",
    );
    let folder = mine.path().to_str().unwrap();
    let out = query_stdout(&f, &["no-mfa", "--queries", folder, "--format", "csv"]);
    assert_eq!(out, "id\nu-alice\n");
    let out = query_stdout(
        &f,
        &[
            "by-email",
            "--queries",
            folder,
            "--format",
            "csv",
            "--param",
            "email=bob@example.com",
        ],
    );
    assert_eq!(out, "id,email\nu-bob,bob@example.com\n");

    // INV_QUERIES is the same folder by the environment.
    let mut command = inv(&f.home);
    command
        .env("INV_QUERIES", mine.path())
        .args(["query", "--list", "--format", "csv", "--db"])
        .arg(&f.db);
    let (output, stdout, _) = run(&mut command);
    assert!(output.status.success());
    assert!(stdout.contains("by-email,info,By e-mail"), "{stdout}");
    assert!(stdout.contains("no-mfa,low,Mine"), "{stdout}");
}

#[test]
fn bad_sql_in_a_user_question_names_the_file_and_line() {
    let f = fixture();
    let mine = temp();
    let path = write(
        mine.path(),
        "broken.sql",
        "-- title: Broken\n-- severity: low\n-- description: a typo\n\nSELECT id,\n       emial\n  FROM users;\n",
    );
    let folder = mine.path().to_str().unwrap();
    let (code, stdout, stderr) = failing(&f, &["query", "broken", "--queries", folder]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(&format!("{}:6:8: no such column: emial", path.display())),
        "{stderr}"
    );
    // The audit stops on it too, naming it.
    let (code, _, stderr) = failing(&f, &["audit", "--queries", folder]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("{}:6:8", path.display())),
        "{stderr}"
    );

    let bad_header = temp();
    let path = write(
        bad_header.path(),
        "header.sql",
        "-- title: Bad\n-- severity: severe\n-- description: d\nSELECT 1 AS id;\n",
    );
    let folder = bad_header.path().to_str().unwrap();
    let (code, _, stderr) = failing(&f, &["query", "header", "--queries", folder]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "{}:2: unknown severity \"severe\"",
            path.display()
        )),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------
// The audit.

fn audit(f: &Fixture, args: &[&str]) -> (i32, String, String) {
    let mut command = inv(&f.home);
    command
        .args(["audit", "--now", NOW])
        .args(args)
        .arg("--db")
        .arg(&f.db);
    let (output, stdout, stderr) = run(&mut command);
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

#[test]
fn the_json_audit_holds_every_question_and_the_sync() {
    let f = fixture();
    record_sync(&f.db, "complete", "[]");
    let (code, stdout, stderr) = audit(&f, &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["now"], "2026-12-01T00:00:00.000000Z");
    assert_eq!(report["database"], f.db.display().to_string());
    assert!(report["generated_at"].as_str().is_some());
    let sync = &report["sync"];
    assert_eq!(sync["organization_id"], ORG);
    assert_eq!(sync["organization_name"], "Acme");
    assert_eq!(sync["status"], "complete");
    assert_eq!(sync["finished_at"], "2026-11-30T12:01:00.000000Z");
    assert_eq!(sync["errors"], serde_json::json!([]));
    assert_eq!(report["warnings"], serde_json::json!([]));

    let questions = report["questions"].as_array().unwrap();
    let names: BTreeSet<String> = questions
        .iter()
        .map(|q| q["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, built_in_names());
    // The same answers as `inv query`, with the default parameters.
    let w = world();
    for (name, params, ids) in expectations(&w) {
        if !params.is_empty() {
            continue;
        }
        let q = questions.iter().find(|q| q["name"] == name).unwrap();
        let got: Vec<&str> = q["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(got, ids, "{name}");
        assert_eq!(q["count"], ids.len(), "{name}");
        assert_eq!(q["columns"][0], "id", "{name}");
        for field in ["title", "severity", "description"] {
            assert!(q[field].as_str().is_some_and(|s| !s.is_empty()), "{name}");
        }
    }
    // Worst first.
    assert_eq!(questions[0]["severity"], "critical");
    let dormant = questions
        .iter()
        .find(|q| q["name"] == "dormant-users")
        .unwrap();
    assert_eq!(dormant["params"], serde_json::json!({"days": 90}));
}

#[test]
fn a_partial_sync_is_stated_plainly() {
    let f = fixture();
    record_sync(&f.db, "complete", "[]");
    record_sync(
        &f.db,
        "partial",
        r#"[{"kind": "instances", "zone": "nl-ams-1", "status": "failed", "objects": 0, "pages": 0, "error": "HTTP 503 after 6 attempts"}]"#,
    );
    let (code, stdout, stderr) = audit(&f, &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["sync"]["status"], "partial");
    assert_eq!(report["sync"]["id"], 2);
    assert_eq!(report["sync"]["errors"][0]["zone"], "nl-ams-1");
    let warning = report["warnings"][0].as_str().unwrap();
    assert!(warning.starts_with("PARTIAL SYNC"), "{warning}");
    assert!(
        warning.contains("instances nl-ams-1: HTTP 503"),
        "{warning}"
    );
    assert!(stderr.contains("warning: PARTIAL SYNC"), "{stderr}");

    let (code, stdout, _) = audit(&f, &["--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# Audit of Acme (org-1)\n"), "{stdout}");
    assert!(stdout.contains("status **partial**"), "{stdout}");
    assert!(stdout.contains("> **WARNING — PARTIAL SYNC"), "{stdout}");
    assert!(stdout.contains("## Summary"), "{stdout}");
    assert!(
        stdout.contains("### `owner-without-mfa`: Organization owner without MFA"),
        "{stdout}"
    );
    let with_findings = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["count"].as_u64() > Some(0))
        .count();
    assert_eq!(
        stdout.matches("\n### `").count(),
        with_findings,
        "one section per question with findings"
    );

    let (code, stdout, _) = audit(&f, &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("WARNING: PARTIAL SYNC"), "{stdout}");
    assert!(
        stdout.contains("Acme (org-1) · sync #2 partial"),
        "{stdout}"
    );
}

#[test]
fn an_audit_without_a_sync_says_so() {
    let f = fixture();
    let (code, stdout, _) = audit(&f, &["--format", "json"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["sync"], Value::Null);
    assert!(report["warnings"][0]
        .as_str()
        .unwrap()
        .starts_with("NO SYNC RECORDED"));
    let (_, stdout, _) = audit(&f, &["--format", "markdown"]);
    assert!(
        stdout.contains("- Last sync: **none recorded**"),
        "{stdout}"
    );
}

#[test]
fn fail_on_sets_the_exit_status() {
    let f = fixture();
    record_sync(&f.db, "complete", "[]");
    let (code, _, stderr) = audit(&f, &["--fail-on", "high"]);
    assert_eq!(code, 7, "{stderr}");
    assert!(
        stderr.contains("at severity high or worse have findings"),
        "{stderr}"
    );
    assert!(stderr.contains("owner-without-mfa (1)"), "{stderr}");
    let (code, _, _) = audit(&f, &["--fail-on", "critical", "--format", "json"]);
    assert_eq!(code, 7);

    // An inventory with nothing wrong in it.
    let clean = temp();
    let db = clean.path().join("clean.db");
    drop(inv::store::open_for_write(&db).unwrap());
    for (level, expected) in [("low", 0), ("info", 7)] {
        let mut command = inv(clean.path());
        command
            .args(["audit", "--now", NOW, "--fail-on", level, "--db"])
            .arg(&db);
        let (output, _, stderr) = run(&mut command);
        assert_eq!(output.status.code(), Some(expected), "{level}: {stderr}");
    }
}

#[test]
fn audit_parameters_reach_the_questions_that_take_them() {
    let f = fixture();
    let (code, stdout, stderr) = audit(&f, &["--format", "json", "--param", "days=0"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let questions = report["questions"].as_array().unwrap();
    let old = questions
        .iter()
        .find(|q| q["name"] == "old-snapshots")
        .unwrap();
    assert_eq!(old["count"], world().snapshots.len());
    assert_eq!(old["params"], serde_json::json!({"days": 0}));
    let soon = questions
        .iter()
        .find(|q| q["name"] == "api-keys-expiring-soon")
        .unwrap();
    assert_eq!(soon["count"], 0);
}

#[test]
fn audit_csv_is_a_summary() {
    let f = fixture();
    let (code, stdout, _) = audit(&f, &["--format", "csv"]);
    assert_eq!(code, 0);
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("name,severity,findings,title"));
    assert_eq!(
        lines.next(),
        Some("owner-without-mfa,critical,1,Organization owner without MFA")
    );
    assert_eq!(stdout.lines().count(), built_in_names().len() + 1);
}

// ---------------------------------------------------------------------------------------
// Query plans: the questions that filter on an indexed column search the index.

/// The plan of a built-in question on an empty inventory (no statistics, like every
/// inventory `inv sync` writes), one detail line per step.
fn plan_of(conn: &Connection, library: &inv::query::Library, name: &str) -> String {
    let question = library.get(name).unwrap();
    let mut statement = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {}", question.sql))
        .unwrap();
    for i in 1..=statement.parameter_count() {
        let placeholder = statement.parameter_name(i).unwrap().to_string();
        let value = match &placeholder[1..] {
            "now" => "2026-12-01T00:00:00.000000Z".to_string(),
            param => question
                .header
                .params
                .iter()
                .find(|p| p.name == param)
                .unwrap()
                .default
                .to_string(),
        };
        statement.raw_bind_parameter(i, value).unwrap();
    }
    let mut plan = Vec::new();
    let mut rows = statement.raw_query();
    while let Some(row) = rows.next().unwrap() {
        plan.push(row.get::<_, String>(3).unwrap());
    }
    plan.join("\n")
}

#[test]
fn questions_on_big_tables_use_their_indexes() {
    let dir = temp();
    let db = dir.path().join("plan.db");
    let conn = inv::store::open_for_write(&db).unwrap();
    let library = inv::query::Library::built_in().unwrap();
    for (name, alias, index) in [
        ("api-keys-expired", "k", "api_keys_expires_at"),
        ("api-keys-expiring-soon", "k", "api_keys_expires_at"),
        ("api-keys-no-expiry", "k", "api_keys_expires_at"),
        ("old-api-keys", "k", "api_keys_created_at"),
        ("no-mfa", "u", "users_mfa"),
        ("locked-users", "u", "users_locked"),
        ("pending-invitations", "u", "users_status"),
        ("dormant-users", "u", "users_last_login_at"),
        ("old-snapshots", "s", "volume_snapshots_creation_date"),
        ("api-keys-of-locked-users", "u", "users_locked"),
        ("api-keys-of-guests", "u", "users_type"),
        ("stopped-instances", "i", "instances_zone_name"),
    ] {
        let plan = plan_of(&conn, &library, name);
        assert!(
            plan.contains(&format!("INDEX {index}")),
            "{name} should search {index}:\n{plan}"
        );
        assert!(
            !plan.lines().any(|l| l.trim() == format!("SCAN {alias}")),
            "{name} scans its table:\n{plan}"
        );
    }
}

/// Whether a plan step reads every row of `name` (a table or its alias): a plain scan, or a
/// walk of a whole index that still fetches each row. Scanning a covering index only reads
/// the index.
fn reads_every_row(step: &str, name: &str) -> bool {
    step == format!("SCAN {name}")
        || step.starts_with(&format!("SCAN {name} USING INDEX "))
        || step.starts_with(&format!("SCAN {name} USING PRIMARY KEY"))
}

/// Instances, flexible IPs, volumes and snapshots carry their whole API object in `raw`:
/// an instance row fills a page of its own. The questions on them start from indexes and
/// join tables, and read the big rows of the objects they return only.
#[test]
fn questions_read_only_the_big_rows_they_return() {
    let dir = temp();
    let db = dir.path().join("plan.db");
    let conn = inv::store::open_for_write(&db).unwrap();
    let library = inv::query::Library::built_in().unwrap();
    // (question, steps the plan must hold, tables or aliases it must never read in full)
    let cases: [(&str, &[&str], &[&str]); 10] = [
        // The listing index holds every column shown, in the answer's order.
        (
            "stopped-instances",
            &["SCAN i USING COVERING INDEX instances_zone_name"],
            &["i"],
        ),
        (
            "volumes-of-stopped-instances",
            &[
                "SEARCH instances USING COVERING INDEX instances_state (state<?)",
                "SEARCH m USING PRIMARY KEY (instance_id=?)",
                "SEARCH v USING COVERING INDEX volumes_server_id (server_id=?)",
                "SEARCH v USING INTEGER PRIMARY KEY (rowid=?)",
            ],
            &["instances", "m", "v"],
        ),
        (
            "resources-in-unknown-projects",
            &[
                "SEARCH instances USING COVERING INDEX instances_project_id (project_id>?)",
                "SEARCH flexible_ips USING COVERING INDEX flexible_ips_project_id (project_id>?)",
                "SEARCH volumes USING COVERING INDEX volumes_project_id (project_id>?)",
                "SEARCH volume_snapshots USING COVERING INDEX volume_snapshots_project_id (project_id>?)",
                "SEARCH api_keys USING COVERING INDEX api_keys_default_project_id (default_project_id>?)",
                "SEARCH instances USING INDEX instances_project_id (project_id=?)",
            ],
            &["instances", "flexible_ips", "volumes", "volume_snapshots", "api_keys"],
        ),
        (
            "orphan-snapshots",
            &[
                "SEARCH o USING COVERING INDEX volume_snapshots_base_volume_id (base_volume_id>?)",
                "SEARCH v USING COVERING INDEX sqlite_autoindex_volumes_1 (id=?)",
                "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)",
            ],
            &["s", "o", "v"],
        ),
        (
            "unmounted-volumes",
            &[
                "SCAN o USING COVERING INDEX volumes_server_id",
                "SEARCH m USING COVERING INDEX instance_mounts_volume_volume_id (volume_id=?)",
                "SEARCH v USING INTEGER PRIMARY KEY (rowid=?)",
            ],
            &["v", "o", "i", "m"],
        ),
        (
            "unattached-ips",
            &[
                "SCAN o USING COVERING INDEX flexible_ips_server_id",
                "SEARCH r USING PRIMARY KEY (flexible_ip_id=?)",
                "SEARCH f USING INTEGER PRIMARY KEY (rowid=?)",
            ],
            &["f", "o", "i", "r"],
        ),
        (
            "inventory-summary",
            &[
                "SCAN instances USING COVERING INDEX instances_organization_zone",
                "SCAN flexible_ips USING COVERING INDEX flexible_ips_organization_zone",
                "SCAN volumes USING COVERING INDEX volumes_organization_zone",
                "SCAN volume_snapshots USING COVERING INDEX volume_snapshots_organization_zone",
            ],
            &["instances", "flexible_ips", "volumes", "volume_snapshots"],
        ),
        // The state index finds the failed snapshots; only they are read.
        (
            "failed-snapshots",
            &["SEARCH s USING INDEX volume_snapshots_state (state=?)"],
            &["s"],
        ),
        // The instances and the addresses they report come from the listing index; only an
        // instance that reports no address is searched among the links.
        (
            "public-instances",
            &[
                "SCAN i USING COVERING INDEX instances_zone_name",
                "SEARCH r USING COVERING INDEX flexible_ip_identifies_instance_instance_id (instance_id=?)",
                "SEARCH p USING COVERING INDEX projects_id_name (id=?) LEFT-JOIN",
            ],
            &["i", "r", "f", "p"],
        ),
        // Snapshots by age from their covering index, each project's name in one search.
        (
            "old-snapshots",
            &[
                "SEARCH s USING COVERING INDEX volume_snapshots_creation_date (creation_date<?)",
                "SEARCH p USING COVERING INDEX projects_id_name (id=?) LEFT-JOIN",
            ],
            &["s", "p"],
        ),
    ];
    for (name, steps, never) in cases {
        let plan = plan_of(&conn, &library, name);
        for step in steps {
            assert!(
                plan.lines().any(|l| l.trim() == *step),
                "{name} should have the step `{step}`:\n{plan}"
            );
        }
        for table in never {
            assert!(
                !plan.lines().any(|l| reads_every_row(l.trim(), table)),
                "{name} reads every row of {table}:\n{plan}"
            );
        }
        assert!(
            !plan.lines().any(|l| l.trim().starts_with("SCAN ")
                && l.contains(" USING INDEX ")
                && !l.contains("COVERING")),
            "{name} walks a whole index and fetches every row in its order:\n{plan}"
        );
    }
}
