//! The built-in demo organization "Acme Robotics" served by `inv sync --demo`: deterministic, realistic, and seeded with one example of every audit finding.
//!
//! All timestamps are fixed and lie before [`DEMO_NOW`] (2026-12-01), the
//! date the demo is written against. The findings it is meant to produce
//! (relative to `DEMO_NOW`):
//!
//! * **IAM**: owner key used for the inventory; a member without MFA
//!   (`lucas.bernard`); a locked user (`sophie.laurent`) who still has an API
//!   key; a pending invitation (`noah.petit`); an activated contractor who
//!   never logged in (`emma.rossi`); a dormant user (`hugo.moreau`, last login
//!   2025-08-14) holding an API key created 2024-03-11 (old key); an expired
//!   key (2026-06-30); a key expiring 2026-12-18 (within 30 days); an orphan
//!   key whose `user_id` names a user that does not exist; an application
//!   with a key (`ci-deployer`, also a member of the admins group) and one
//!   without (`grafana-exporter`); an empty group (`auditors`); the owner
//!   (`claire.martin`) without MFA; a guest (`emma.rossi`) holding a key that
//!   has no description.
//! * **Compute**: a stopped server keeping a flexible IP (`staging-app-01`,
//!   nl-ams-1) and a server `stopped in place` (`ml-notebook`, pl-waw-2); a
//!   free flexible IP (`spare`, fr-par-1) and a pool of 104 reserved but
//!   detached IPs in fr-par-2 (`fleet-pool`, 106 IPs in all: that listing
//!   needs a second page at page size 100); an unmounted local volume and an
//!   unmounted Block volume (fr-par-1); a flexible IP of a project that is not
//!   in the listing; a server in `it-mil-1` of an end-of-service type, with
//!   only Instance resources (Block answers 501 there).
//! * **Snapshots**: an Instance snapshot whose base volume no longer exists,
//!   an imported one with `base_volume: null`, a failed one (state `error`);
//!   a Block snapshot whose parent volume id is missing, one with
//!   `parent_volume: null`, and old ones (> 90 days).
//!
//! The ids of these objects are the constants of [`ids`].

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::world::{wire, Credential, OrgWorld, World};

/// The date the demo is written against: every timestamp is before it, and
/// "expired", "expiring soon", "dormant" and "old" are relative to it.
pub const DEMO_NOW: &str = "2026-12-01T00:00:00Z";

/// Fixed ids of the demo's objects.
pub mod ids {
    /// Organization "Acme Robotics".
    pub const ORG: &str = "3fcb4b70-f79a-4ffc-a71b-9592244ececa";
    /// Project `default`.
    pub const P_DEFAULT: &str = "2a438f2a-3172-4442-bbce-14ab261db1d4";
    /// Project `production`.
    pub const P_PROD: &str = "e427f474-114d-4fce-bf3f-3f8cfe53b312";
    /// Project `staging`.
    pub const P_STAGING: &str = "23eb7164-3ac5-4727-95d2-5341edc5fe85";
    /// Project `ml-research`.
    pub const P_ML: &str = "09c9c31a-e2f9-4909-b4a3-cc3052800e04";

    /// Owner, MFA on: claire.martin@example.com.
    pub const U_OWNER: &str = "2cc9d354-d76f-4970-b440-6663d3e1ec74";
    /// Member, MFA on: yusuf.demir@example.com.
    pub const U_YUSUF: &str = "4dfc3c3b-18c1-402b-a946-a04e9ff35ab3";
    /// Member, **MFA off**: lucas.bernard@example.com.
    pub const U_LUCAS: &str = "89fb1806-dc3f-4287-aa16-2b8dc835698d";
    /// **Locked** member: sophie.laurent@example.com.
    pub const U_SOPHIE: &str = "a5ea88f7-f530-4958-8e82-2f9a9b04393e";
    /// **Invitation pending**: noah.petit@example.com.
    pub const U_NOAH: &str = "d755df98-8d89-40a3-9903-f4cb5455eb3a";
    /// Activated contractor who **never logged in**: emma.rossi@example.com.
    pub const U_EMMA: &str = "65304a98-4082-47b0-b802-c47fd7a878c1";
    /// **Dormant** member (last login 2025-08-14): hugo.moreau@example.com.
    pub const U_HUGO: &str = "9476c36e-9cfc-48d0-b792-5b84ebd65788";
    /// Member, MFA on: ines.haddad@example.com.
    pub const U_INES: &str = "5d5428b3-82da-4138-9b1b-a5b4960e55ce";
    /// A deleted user, referenced only by the orphan key.
    pub const U_DELETED: &str = "b8cb8842-070c-48d8-b0aa-eecb8cef8130";

    /// Group `platform-admins` (3 users + the `ci-deployer` application).
    pub const G_ADMINS: &str = "f49456e1-4fc0-4b38-8408-f08bbb156634";
    /// Group `ml-team` (2 users).
    pub const G_ML: &str = "6c903f6b-e38b-41e7-ae89-e9f2dd288687";
    /// Group `auditors`, **empty**.
    pub const G_AUDITORS: &str = "5736b6c1-9f34-4fcd-a669-6d1608d5a175";
    /// Application `ci-deployer`, with one key.
    pub const A_CI: &str = "1ecf2f65-7d21-432c-8e63-bdd32d8a1783";
    /// Application `grafana-exporter`, **without keys**.
    pub const A_GRAFANA: &str = "602c16df-f600-4415-812e-df7b27ebd003";

    /// The demo credential's key: owner's, expires 2027-06-01.
    pub const K_INVENTORY: &str = "SCW1NV3NT0RYACME7Q2K";
    /// Yusuf's key, **never expires**.
    pub const K_NO_EXPIRY: &str = "SCWD3M1RK7P4XQ9B2TVA";
    /// Lucas's key, **expired** 2026-06-30.
    pub const K_EXPIRED: &str = "SCWB4RN4RD8EXP1R3D6Q";
    /// Ines's key, **expires 2026-12-18** (within 30 days of `DEMO_NOW`).
    pub const K_EXPIRING_SOON: &str = "SCWH4DD4D5OON2W7E9KF";
    /// `ci-deployer`'s **application key**.
    pub const K_APPLICATION: &str = "SCWC1D3PL0Y3R8M5T2XA";
    /// Key of the **locked** user Sophie.
    pub const K_LOCKED_USER: &str = "SCWL0CK3DS0PH13K4Y7N";
    /// **Orphan** key: its `user_id` is [`U_DELETED`].
    pub const K_ORPHAN: &str = "SCW0RPH4NK3Y5D3L7U9R";
    /// Hugo's **old** key, created 2024-03-11.
    pub const K_OLD: &str = "SCWHUG0M0R3AU2024OLD";
    /// Emma's key (she is a **guest**), created without a **description**.
    pub const K_GUEST: &str = "SCWGU35TC0NTR4CT0R9X";
    /// A project that is not in the organization's listing (deleted, or hidden from
    /// the inventory key).
    pub const P_GONE: &str = "5b0e2f61-8d3c-4c7a-9e21-7f4a6b1d0c93";
    /// A flexible IP of [`P_GONE`], fr-par-1: a resource in an unknown project.
    pub const IP_GONE_PROJECT: &str = "c0a8e4d2-6b1f-4e3a-9d57-2f8b1c6e0a44";

    /// `web-01`, fr-par-1, running: SBS root + local scratch, IPv4 + IPv6.
    pub const S_WEB01: &str = "ad1215bd-52bf-43fb-afe2-9c02a1dade3b";
    /// `web-02`, fr-par-1, running: SBS root, IPv4.
    pub const S_WEB02: &str = "2e3e153a-de8d-4e69-a5b0-1fcea82244d1";
    /// `db-01`, fr-par-1, running, protected: SBS root + SBS data, no public IP.
    pub const S_DB01: &str = "e141d4ad-2c08-4f4b-82c8-298b35c73779";
    /// `fleet-gw-01`, fr-par-2, running: SBS root, two pool IPs.
    pub const S_FLEETGW: &str = "6711600c-a705-4b9d-8512-60fca83e5d8f";
    /// `staging-app-01`, nl-ams-1, **stopped**: local root, keeps its IPv4.
    pub const S_STAGING: &str = "3b9cd8e7-d868-46e2-a992-9633dd28e219";
    /// `gpu-trainer-01`, pl-waw-2, running: SBS root + SBS datasets, IPv4.
    pub const S_TRAINER: &str = "94e5e19e-8b2a-42bb-90fc-df45e1defb12";
    /// `ml-notebook`, pl-waw-2, **stopped in place**: SBS root.
    pub const S_NOTEBOOK: &str = "e860322f-fc62-416c-89bb-75e420af07e9";
    /// `edge-mil-01`, it-mil-1, running: local root, IPv4 (no Block there).
    pub const S_EDGE: &str = "fb8d1495-76e4-41bc-a925-64b248e4b43c";

    /// web-01's IPv4 (attached).
    pub const IP_WEB01_V4: &str = "1db163b0-5071-49dd-b9da-d7930bacb22c";
    /// web-01's IPv6 prefix (attached).
    pub const IP_WEB01_V6: &str = "8736dc08-1417-4d6f-9522-804a9ed13693";
    /// web-02's IPv4 (attached).
    pub const IP_WEB02_V4: &str = "f970f477-dcb2-4d29-b4d6-ac2bc13e8d12";
    /// **Free** IPv4 `163.172.44.90` in fr-par-1 (tag `spare`).
    pub const IP_SPARE: &str = "ef168842-cb41-42bf-89a8-aa11ae587542";
    /// staging-app-01's IPv4 (attached to a stopped server).
    pub const IP_STAGING_V4: &str = "87d85b45-52de-4db1-9004-72c1b5dced55";
    /// gpu-trainer-01's IPv4.
    pub const IP_TRAINER_V4: &str = "53ff23e4-1a52-4cf3-950f-775031e0ba09";
    /// edge-mil-01's IPv4.
    pub const IP_EDGE_V4: &str = "1d714b41-92bd-42cc-b841-9c35b4d6c2b7";

    /// web-01's local scratch volume (mounted).
    pub const V_WEB01_SCRATCH: &str = "861be350-4153-4b10-bea3-0fd8717b24e3";
    /// **Unmounted** local volume `old-batch-scratch`, fr-par-1.
    pub const V_UNMOUNTED: &str = "f295b572-361a-4ec3-b3ec-00d892c46915";
    /// staging-app-01's local root volume.
    pub const V_STAGING_ROOT: &str = "3cf37a22-736e-49a1-b090-70dab4697936";
    /// edge-mil-01's local root volume.
    pub const V_EDGE_ROOT: &str = "9fb44146-2d50-4ecb-9a60-766d40d43104";
    /// A deleted local volume, referenced only by [`SNAP_ORPHAN`].
    pub const V_GONE: &str = "ebd96531-7cb6-4fa8-9eaa-1f7b341fe655";

    /// web-01's SBS root.
    pub const BV_WEB01_ROOT: &str = "6dc1fa44-3206-4cae-a823-102f05d92f4c";
    /// web-02's SBS root.
    pub const BV_WEB02_ROOT: &str = "97bd8e39-acd5-4021-9338-1f63bf31ca94";
    /// db-01's SBS root.
    pub const BV_DB01_ROOT: &str = "deb15ec6-16e5-4000-b321-36a0fb86d4f7";
    /// db-01's SBS data volume (sbs_15k, 200 GB).
    pub const BV_DB01_DATA: &str = "5635c397-b442-4e91-922f-176ff00a8a19";
    /// **Unmounted** Block volume `db-01-data-old`, fr-par-1.
    pub const BV_UNMOUNTED: &str = "9270fb0b-d886-497a-ba24-cb28a894cea9";
    /// fleet-gw-01's SBS root.
    pub const BV_FLEETGW_ROOT: &str = "e4a65cf2-bccf-4830-960e-bba97c743185";
    /// gpu-trainer-01's SBS root.
    pub const BV_TRAINER_ROOT: &str = "2fe6e690-e417-4d91-98cd-8ce323b63c30";
    /// gpu-trainer-01's datasets volume (sbs_15k, 1 TB).
    pub const BV_DATASETS: &str = "178003a4-187d-4a98-8f8e-8e3a3cb74cf8";
    /// ml-notebook's SBS root.
    pub const BV_NOTEBOOK_ROOT: &str = "7d804616-8833-4614-90b9-df4c49238180";
    /// A deleted Block volume, referenced only by [`BS_ORPHAN`].
    pub const BV_GONE: &str = "c57f20cc-727e-490b-8a1d-e4294d4c9bb5";

    /// Instance snapshot of web-01's scratch volume (healthy).
    pub const SNAP_WEB01_SCRATCH: &str = "eca78836-88a7-424b-b07e-2334b2f07f87";
    /// **Orphan** Instance snapshot: `base_volume.id` = [`V_GONE`]; also old.
    pub const SNAP_ORPHAN: &str = "85bcbf8f-884a-451e-b076-790788a876a4";
    /// **Imported** Instance snapshot, `base_volume: null`.
    pub const SNAP_IMPORTED: &str = "31505a5c-6e5e-47b5-89a2-229e7bd95926";
    /// **Failed** Instance snapshot (state `error`), nl-ams-1.
    pub const SNAP_FAILED: &str = "c7675d3e-3ce6-497c-bf4a-72896e9031b9";
    /// Instance snapshot of edge-mil-01's root, it-mil-1.
    pub const SNAP_EDGE_ROOT: &str = "d6eec1fb-5f3d-462d-ac58-c21765271e15";
    /// Block snapshot of db-01's data volume (healthy).
    pub const BS_DB_BEFORE_UPGRADE: &str = "ce1d93b1-8252-40e2-a707-dff63fed9a48";
    /// **Old** Block snapshot (2026-03-14) of the unmounted Block volume.
    pub const BS_OLD: &str = "5a923c55-20a1-486b-927d-b94a5353dbc7";
    /// Block snapshot with `parent_volume: null` (volume deleted), nl-ams-1.
    pub const BS_PARENT_NULL: &str = "5e1b9849-3929-4d8e-949c-af844b1a5516";
    /// Block snapshot of the datasets volume, pl-waw-2.
    pub const BS_DATASETS: &str = "caae54a2-e28a-4715-8804-ee45d0d6e3b3";
    /// **Orphan** Block snapshot: `parent_volume.id` = [`BV_GONE`]; also old.
    pub const BS_ORPHAN: &str = "8669cf59-04e1-45d1-836a-780508016766";

    /// Private Network of production (only referenced by private NICs).
    pub const PN_PROD: &str = "5aa7355a-4da7-4e2a-bd90-0bbc48243a0f";
    /// Secret key of the demo credential.
    pub const SECRET: &str = "d742d66c-42ab-4ec0-a58a-8cc3639f4635";
    /// Number of flexible IPs in the fr-par-2 pool (2 attached, the rest free).
    pub const FLEET_POOL_SIZE: usize = 106;
}

use ids::*;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn set(obj: &mut Value, key: &str, value: Value) {
    if let Some(m) = obj.as_object_mut() {
        m.insert(key.to_owned(), value);
    }
}

fn created(mut obj: Value, created: &str, updated: &str) -> Value {
    wire::set_created(&mut obj, t(created), t(updated));
    obj
}

fn user(
    id: &str,
    email: &str,
    created_at: &str,
    last_login: Option<&str>,
    mfa: bool,
    locale: &str,
) -> Value {
    let mut u = created(
        wire::user(id, ORG, email),
        created_at,
        last_login.unwrap_or(created_at),
    );
    set(
        &mut u,
        "last_login_at",
        last_login.map_or(Value::Null, |l| json!(wire::ts_z(t(l)))),
    );
    set(&mut u, "mfa", json!(mfa));
    set(&mut u, "two_factor_enabled", json!(mfa));
    set(&mut u, "locale", json!(locale));
    u
}

fn key(
    mut k: Value,
    description: &str,
    created_at: &str,
    expires: Option<&str>,
    ip: &str,
) -> Value {
    wire::set_created(&mut k, t(created_at), t(created_at));
    wire::set_expires(&mut k, expires.map(t));
    set(&mut k, "description", json!(description));
    set(&mut k, "creation_ip", json!(ip));
    k
}

fn server(
    id: &str,
    project: &str,
    zone: &str,
    name: &str,
    ctype: &str,
    at: &str,
    tags: &[&str],
) -> Value {
    let mut s = created(wire::server(id, ORG, project, zone, name), at, at);
    set(&mut s, "commercial_type", json!(ctype));
    set(&mut s, "tags", json!(tags));
    s
}

/// An SBS root volume created from `server`'s image.
fn block_root(id: &str, project: &str, zone: &str, name: &str, server: &Value, at: &str) -> Value {
    let mut v = created(
        wire::block_volume(id, project, zone, name, 20_000_000_000),
        at,
        at,
    );
    set(
        &mut v,
        "parent_snapshot_id",
        server["image"]["root_volume"]["id"].clone(),
    );
    v
}

/// Builds the demo world and its credential (owner's key
/// [`ids::K_INVENTORY`], secret [`ids::SECRET`]).
/// The demo organization as it was a week before [`demo_world`]: `inv sync --demo` syncs
/// it first into a new file, so that the history (`inv diff`, `new-api-keys`,
/// `mfa-disabled`, `new-public-instances`) has something to show. Since then: Emma's key
/// was created, Noah was invited, Lucas turned MFA off, the `staging` project was renamed
/// from `stage`, and web-02 got its public IPv4.
pub fn demo_world_week_before() -> World {
    let (mut world, _) = demo_world();
    let Some(org) = world.org_mut(ORG) else {
        return world;
    };
    org.api_keys.retain(|k| k["access_key"] != K_GUEST);
    org.users.retain(|u| u["id"] != U_NOAH);
    for user in org.users.iter_mut().filter(|u| u["id"] == U_LUCAS) {
        set(user, "mfa", json!(true));
        set(user, "two_factor_enabled", json!(true));
    }
    for project in org.projects.iter_mut().filter(|p| p["id"] == P_STAGING) {
        set(project, "name", json!("stage"));
    }
    let zone = org.zone_mut("fr-par-1");
    for server in zone.servers.iter_mut().filter(|s| s["id"] == S_WEB02) {
        set(server, "public_ips", json!([]));
        set(server, "public_ip", Value::Null);
    }
    for ip in zone.ips.iter_mut().filter(|ip| ip["id"] == IP_WEB02_V4) {
        set(ip, "server", Value::Null);
        set(ip, "state", json!("detached"));
    }
    world
}

pub fn demo_world() -> (World, Credential) {
    let mut org = OrgWorld::new(ORG, "Acme Robotics");

    // --- Account -----------------------------------------------------------
    org.projects = vec![
        created(
            wire::project(P_DEFAULT, ORG, "default"),
            "2024-01-15T09:02:11.204518Z",
            "2024-01-15T09:02:11.204518Z",
        ),
        {
            let mut p = created(
                wire::project(P_PROD, ORG, "production"),
                "2024-02-05T10:14:52.771903Z",
                "2025-06-11T08:40:19.005712Z",
            );
            set(
                &mut p,
                "description",
                json!("customer-facing fleet services"),
            );
            p
        },
        {
            let mut p = created(
                wire::project(P_STAGING, ORG, "staging"),
                "2024-02-05T10:16:03.118274Z",
                "2024-02-05T10:16:03.118274Z",
            );
            set(&mut p, "description", json!("pre-production workloads"));
            p
        },
        {
            let mut p = created(
                wire::project(P_ML, ORG, "ml-research"),
                "2025-01-07T13:30:45.660182Z",
                "2025-01-07T13:30:45.660182Z",
            );
            set(&mut p, "description", json!("perception model training"));
            set(&mut p, "qualification", Value::Null);
            p
        },
    ];

    // --- IAM users -----------------------------------------------------------
    let mut owner = created(
        wire::owner(U_OWNER, ORG, "claire.martin@example.com"),
        "2024-01-15T09:02:10.553210Z",
        "2026-11-28T07:51:02.904117Z",
    );
    set(
        &mut owner,
        "last_login_at",
        json!("2026-11-28T07:51:02.921004Z"),
    );
    set(&mut owner, "locale", json!("fr_FR"));
    // The owner never turned MFA on: the demo's critical finding.
    set(&mut owner, "mfa", json!(false));
    set(&mut owner, "two_factor_enabled", json!(false));
    set(&mut owner, "phone_number", json!("+33 1 70 00 00 42"));
    let mut sophie = user(
        U_SOPHIE,
        "sophie.laurent@example.com",
        "2024-03-20T08:45:12.330871Z",
        Some("2026-04-09T16:20:33.118402Z"),
        true,
        "fr_FR",
    );
    set(&mut sophie, "locked", json!(true));
    set(
        &mut sophie,
        "updated_at",
        json!("2026-04-15T09:00:00.000000Z"),
    );
    let noah = created(
        wire::invited_user(U_NOAH, ORG, "noah.petit@example.com"),
        "2026-11-12T14:05:44.402118Z",
        "2026-11-12T14:05:44.402118Z",
    );
    let mut emma = user(
        U_EMMA,
        "emma.rossi@example.com",
        "2026-09-02T11:17:08.771930Z",
        None,
        false,
        "it_IT",
    );
    set(&mut emma, "tags", json!(["contractor"]));
    set(&mut emma, "type", json!("guest"));
    org.users = vec![
        owner,
        user(
            U_YUSUF,
            "yusuf.demir@example.com",
            "2024-02-05T10:20:31.640233Z",
            Some("2026-11-26T18:02:47.330542Z"),
            true,
            "en_US",
        ),
        user(
            U_LUCAS,
            "lucas.bernard@example.com",
            "2024-06-12T07:58:30.118204Z",
            Some("2026-11-18T09:41:12.004115Z"),
            false,
            "fr_FR",
        ),
        sophie,
        noah,
        emma,
        user(
            U_HUGO,
            "hugo.moreau@example.com",
            "2024-02-19T16:31:07.118342Z",
            Some("2025-08-14T10:03:55.901527Z"),
            true,
            "fr_FR",
        ),
        user(
            U_INES,
            "ines.haddad@example.com",
            "2025-01-07T13:35:02.215877Z",
            Some("2026-11-30T17:44:09.640021Z"),
            true,
            "en_US",
        ),
    ];

    // --- IAM groups and applications ------------------------------------------
    let mut admins = created(
        wire::group(
            G_ADMINS,
            ORG,
            "platform-admins",
            &[U_OWNER, U_YUSUF, U_LUCAS],
            &[A_CI],
        ),
        "2024-02-05T10:25:44.402118Z",
        "2025-03-03T09:12:09.330871Z",
    );
    set(
        &mut admins,
        "description",
        json!("full access to production and staging"),
    );
    let mut ml = created(
        wire::group(G_ML, ORG, "ml-team", &[U_INES, U_HUGO], &[]),
        "2025-01-07T13:40:00.015642Z",
        "2025-01-07T13:40:00.015642Z",
    );
    set(&mut ml, "description", json!("ml-research project members"));
    let mut auditors = created(
        wire::group(G_AUDITORS, ORG, "auditors", &[], &[]),
        "2025-10-01T08:00:12.774310Z",
        "2025-10-01T08:00:12.774310Z",
    );
    set(
        &mut auditors,
        "description",
        json!("read-only access for the yearly audit"),
    );
    org.groups = vec![admins, ml, auditors];

    let mut ci = created(
        wire::application(A_CI, ORG, "ci-deployer", 1),
        "2025-03-03T08:58:30.118204Z",
        "2025-03-03T08:58:30.118204Z",
    );
    set(&mut ci, "description", json!("deploys production from CI"));
    set(&mut ci, "tags", json!(["ci"]));
    let mut grafana = created(
        wire::application(A_GRAFANA, ORG, "grafana-exporter", 0),
        "2025-11-20T15:02:39.893981Z",
        "2025-11-20T15:02:39.893981Z",
    );
    set(
        &mut grafana,
        "description",
        json!("metrics exporter (key not created yet)"),
    );
    org.applications = vec![ci, grafana];

    // --- API keys ------------------------------------------------------------
    org.api_keys = vec![
        key(
            wire::user_api_key(K_INVENTORY, U_OWNER, P_DEFAULT),
            "inv read-only inventory",
            "2026-06-01T08:00:00.000000Z",
            Some("2027-06-01T08:00:00Z"),
            "198.51.100.7",
        ),
        key(
            wire::user_api_key(K_NO_EXPIRY, U_YUSUF, P_PROD),
            "terraform laptop",
            "2025-09-10T12:07:19.640233Z",
            None,
            "203.0.113.24",
        ),
        key(
            wire::user_api_key(K_EXPIRED, U_LUCAS, P_STAGING),
            "staging debug",
            "2025-12-30T10:15:00.118402Z",
            Some("2026-06-30T10:15:00Z"),
            "203.0.113.51",
        ),
        key(
            wire::user_api_key(K_EXPIRING_SOON, U_INES, P_ML),
            "training pipeline",
            "2026-06-18T09:30:12.771845Z",
            Some("2026-12-18T09:30:12Z"),
            "203.0.113.88",
        ),
        key(
            wire::application_api_key(K_APPLICATION, A_CI, P_PROD),
            "ci-deployer main pipeline",
            "2025-03-03T09:01:44.901527Z",
            None,
            "198.51.100.20",
        ),
        key(
            wire::user_api_key(K_LOCKED_USER, U_SOPHIE, P_PROD),
            "sophie cli",
            "2025-11-04T14:22:05.330542Z",
            None,
            "203.0.113.12",
        ),
        key(
            wire::user_api_key(K_ORPHAN, U_DELETED, P_DEFAULT),
            "former intern scripts",
            "2025-02-11T16:40:00.015642Z",
            None,
            "203.0.113.99",
        ),
        key(
            wire::user_api_key(K_OLD, U_HUGO, P_ML),
            "hugo workstation",
            "2024-03-11T10:02:44.118530Z",
            None,
            "203.0.113.77",
        ),
        key(
            wire::user_api_key(K_GUEST, U_EMMA, P_STAGING),
            "",
            "2026-09-03T08:12:40.204551Z",
            Some("2027-03-03T08:12:40Z"),
            "203.0.113.140",
        ),
    ];

    // --- fr-par-1: production ----------------------------------------------
    {
        let z = "fr-par-1";
        let mut web01 = server(
            S_WEB01,
            P_PROD,
            z,
            "web-01",
            "PRO2-S",
            "2026-02-24T11:29:06.723007Z",
            &["web", "prod"],
        );
        let mut web02 = server(
            S_WEB02,
            P_PROD,
            z,
            "web-02",
            "PRO2-S",
            "2026-02-24T11:31:40.113905Z",
            &["web", "prod"],
        );
        let mut db01 = server(
            S_DB01,
            P_PROD,
            z,
            "db-01",
            "PRO2-M",
            "2025-11-19T10:02:40.440871Z",
            &["db", "prod"],
        );
        set(&mut db01, "protected", json!(true));
        let mut bv_web01 = block_root(
            BV_WEB01_ROOT,
            P_PROD,
            z,
            "web-01-root",
            &web01,
            "2026-02-24T11:29:07.402236Z",
        );
        let mut bv_web02 = block_root(
            BV_WEB02_ROOT,
            P_PROD,
            z,
            "web-02-root",
            &web02,
            "2026-02-24T11:31:41.870014Z",
        );
        let mut bv_db_root = block_root(
            BV_DB01_ROOT,
            P_PROD,
            z,
            "db-01-root",
            &db01,
            "2025-11-19T10:02:41.118530Z",
        );
        let mut bv_db_data = created(
            wire::block_volume(BV_DB01_DATA, P_PROD, z, "db-01-data", 200_000_000_000),
            "2025-11-19T10:02:44.118530Z",
            "2026-05-30T18:11:02.447391Z",
        );
        set(&mut bv_db_data, "type", json!("sbs_15k"));
        set(
            &mut bv_db_data,
            "specs",
            json!({"perf_iops": 15000, "class": "sbs"}),
        );
        set(&mut bv_db_data, "tags", json!(["db"]));
        let mut scratch = created(
            wire::volume(
                V_WEB01_SCRATCH,
                ORG,
                P_PROD,
                z,
                "web-01-scratch",
                50_000_000_000,
            ),
            "2026-02-24T11:29:08.550218Z",
            "2026-02-24T11:29:08.550218Z",
        );
        wire::attach_sbs_volume(&mut web01, 0, &mut bv_web01);
        wire::attach_local_volume(&mut web01, 1, &mut scratch);
        wire::attach_sbs_volume(&mut web02, 0, &mut bv_web02);
        wire::attach_sbs_volume(&mut db01, 0, &mut bv_db_root);
        wire::attach_sbs_volume(&mut db01, 1, &mut bv_db_data);

        let mut ip1 = created(
            wire::ip(IP_WEB01_V4, ORG, P_PROD, z, "51.15.201.34"),
            "2026-02-24T11:29:05.000000Z",
            "2026-02-24T11:29:05.000000Z",
        );
        set(&mut ip1, "reverse", json!("web-01.example.com"));
        let mut ip1v6 = wire::ipv6(IP_WEB01_V6, ORG, P_PROD, z, "2001:bc8:710:3a1c::/64");
        let mut ip2 = wire::ip(IP_WEB02_V4, ORG, P_PROD, z, "51.15.201.35");
        set(&mut ip2, "reverse", json!("web-02.example.com"));
        let mut spare = wire::ip(IP_SPARE, ORG, P_DEFAULT, z, "163.172.44.90");
        set(&mut spare, "tags", json!(["spare"]));
        let gone = wire::ip(IP_GONE_PROJECT, ORG, P_GONE, z, "51.158.0.77");
        wire::attach_ip(&mut web01, &mut ip1);
        wire::attach_ip(&mut web01, &mut ip1v6);
        wire::attach_ip(&mut web02, &mut ip2);
        for s in [&mut web01, &mut web02, &mut db01] {
            wire::add_private_nic(s, PN_PROD);
        }
        set(
            &mut web01,
            "modification_date",
            json!("2026-11-02T08:12:51.906633+00:00"),
        );

        let unmounted = created(
            wire::volume(
                V_UNMOUNTED,
                ORG,
                P_PROD,
                z,
                "old-batch-scratch",
                100_000_000_000,
            ),
            "2025-07-08T13:40:02.771845Z",
            "2025-09-30T17:02:10.204518Z",
        );
        let mut bv_unmounted = created(
            wire::block_volume(BV_UNMOUNTED, P_PROD, z, "db-01-data-old", 200_000_000_000),
            "2025-06-03T09:12:44.118530Z",
            "2026-05-30T18:11:02.447391Z",
        );
        set(&mut bv_unmounted, "type", json!("sbs_15k"));
        set(
            &mut bv_unmounted,
            "specs",
            json!({"perf_iops": 15000, "class": "sbs"}),
        );
        set(
            &mut bv_unmounted,
            "last_detached_at",
            json!("2026-05-30T18:11:02.440871Z"),
        );

        let snap_scratch = created(
            wire::snapshot_of(SNAP_WEB01_SCRATCH, "web-01-scratch-2026-11-30", &scratch),
            "2026-11-30T02:00:04.771930Z",
            "2026-11-30T02:01:12.005184Z",
        );
        let mut snap_orphan = created(
            wire::snapshot(
                SNAP_ORPHAN,
                ORG,
                P_PROD,
                z,
                "legacy-app-data-2025-10",
                Some((V_GONE, "legacy-app-data")),
            ),
            "2025-10-20T03:00:12.402771Z",
            "2025-10-20T03:02:40.113905Z",
        );
        set(&mut snap_orphan, "size", json!(80_000_000_000u64));
        let mut snap_imported = created(
            wire::snapshot(
                SNAP_IMPORTED,
                ORG,
                P_DEFAULT,
                z,
                "imported-centos7-disk",
                None,
            ),
            "2026-10-05T15:22:09.330871Z",
            "2026-10-05T15:40:41.906633Z",
        );
        set(&mut snap_imported, "size", json!(10_000_000_000u64));
        set(&mut snap_imported, "tags", json!(["import"]));

        let mut bs_upgrade = created(
            wire::block_snapshot_of(
                BS_DB_BEFORE_UPGRADE,
                "db-01-data-before-upgrade",
                &bv_db_data,
            ),
            "2026-11-15T18:05:10.774120Z",
            "2026-11-15T18:07:55.210346Z",
        );
        set(&mut bs_upgrade, "tags", json!(["db", "upgrade"]));
        let bs_old = created(
            wire::block_snapshot_of(BS_OLD, "db-01-pre-migration-2026-03", &bv_unmounted),
            "2026-03-14T22:00:41.551093Z",
            "2026-03-14T22:04:02.771845Z",
        );

        let zw = org.zone_mut(z);
        zw.servers = vec![web01, web02, db01];
        zw.ips = vec![ip1, ip1v6, ip2, spare, gone];
        zw.volumes = vec![scratch, unmounted];
        zw.snapshots = vec![snap_scratch, snap_orphan, snap_imported];
        zw.block_volumes = vec![bv_web01, bv_web02, bv_db_root, bv_db_data, bv_unmounted];
        zw.block_snapshots = vec![bs_upgrade, bs_old];
    }

    // --- fr-par-2: the robot fleet gateway and its reserved IP pool ---------
    {
        let z = "fr-par-2";
        let mut gw = server(
            S_FLEETGW,
            P_PROD,
            z,
            "fleet-gw-01",
            "POP2-2C-8G",
            "2025-04-22T07:45:18.330542Z",
            &["fleet", "prod"],
        );
        let mut bv_gw = block_root(
            BV_FLEETGW_ROOT,
            P_PROD,
            z,
            "fleet-gw-01-root",
            &gw,
            "2025-04-22T07:45:19.640233Z",
        );
        wire::attach_sbs_volume(&mut gw, 0, &mut bv_gw);
        let mut ips = Vec::with_capacity(FLEET_POOL_SIZE);
        for n in 0..FLEET_POOL_SIZE {
            let id = wire::derive_id(ORG, &format!("fleet-pool-ip-{n}"));
            let address = format!("212.47.{}.{}", 224 + n / 200, 20 + n % 200);
            let mut ip = created(
                wire::ip(&id, ORG, P_PROD, z, &address),
                "2025-04-22T07:40:00.118402Z",
                "2025-04-22T07:40:00.118402Z",
            );
            set(&mut ip, "tags", json!(["fleet-pool"]));
            if n < 2 {
                wire::attach_ip(&mut gw, &mut ip);
            }
            ips.push(ip);
        }
        let zw = org.zone_mut(z);
        zw.servers = vec![gw];
        zw.ips = ips;
        zw.block_volumes = vec![bv_gw];
    }

    // --- nl-ams-1: staging -----------------------------------------------------
    {
        let z = "nl-ams-1";
        let mut app = server(
            S_STAGING,
            P_STAGING,
            z,
            "staging-app-01",
            "DEV1-M",
            "2024-09-03T12:51:09.262410Z",
            &["staging"],
        );
        wire::set_server_state(&mut app, "stopped");
        set(
            &mut app,
            "modification_date",
            json!("2026-07-30T12:51:09.262410+00:00"),
        );
        if let Some(m) = app.get_mut("image").and_then(|i| i.get_mut("root_volume")) {
            *m = json!({"volume_type": "l_ssd", "id": wire::derive_id(z, "image-debian-root"), "size": 10_000_000_000u64, "name": "debian_bookworm:volume-0"});
        }
        let mut root = created(
            wire::volume(
                V_STAGING_ROOT,
                ORG,
                P_STAGING,
                z,
                "staging-app-01-root",
                40_000_000_000,
            ),
            "2024-09-03T12:51:09.900218Z",
            "2024-09-03T12:51:09.900218Z",
        );
        wire::attach_local_volume(&mut app, 0, &mut root);
        let mut ip = created(
            wire::ip(IP_STAGING_V4, ORG, P_STAGING, z, "51.158.66.17"),
            "2024-09-03T12:51:08.000000Z",
            "2024-09-03T12:51:08.000000Z",
        );
        wire::attach_ip(&mut app, &mut ip);
        let mut failed = created(
            wire::snapshot_of(SNAP_FAILED, "staging-app-01-root-nightly", &root),
            "2026-11-29T02:00:03.118402Z",
            "2026-11-29T02:14:40.330871Z",
        );
        set(&mut failed, "state", json!("error"));
        set(
            &mut failed,
            "error_reason",
            json!("snapshot creation failed: volume busy"),
        );
        let mut bs_null = created(
            wire::block_snapshot(BS_PARENT_NULL, P_STAGING, z, "staging-db-final", None),
            "2026-07-02T16:10:34.763800Z",
            "2026-07-02T16:12:02.204518Z",
        );
        set(&mut bs_null, "size", json!(50_000_000_000u64));
        let zw = org.zone_mut(z);
        zw.servers = vec![app];
        zw.ips = vec![ip];
        zw.volumes = vec![root];
        zw.snapshots = vec![failed];
        zw.block_snapshots = vec![bs_null];
    }

    // --- pl-waw-2: ml-research ----------------------------------------------
    {
        let z = "pl-waw-2";
        let mut trainer = server(
            S_TRAINER,
            P_ML,
            z,
            "gpu-trainer-01",
            "L4-1-24G",
            "2026-05-12T08:30:11.402771Z",
            &["gpu", "training"],
        );
        let mut notebook = server(
            S_NOTEBOOK,
            P_ML,
            z,
            "ml-notebook",
            "PRO2-S",
            "2025-01-08T09:14:51.120934Z",
            &["notebook"],
        );
        wire::set_server_state(&mut notebook, "stopped in place");
        let mut bv_trainer = block_root(
            BV_TRAINER_ROOT,
            P_ML,
            z,
            "gpu-trainer-01-root",
            &trainer,
            "2026-05-12T08:30:12.640233Z",
        );
        set(&mut bv_trainer, "size", json!(100_000_000_000u64));
        let mut datasets = created(
            wire::block_volume(BV_DATASETS, P_ML, z, "datasets", 1_000_000_000_000),
            "2025-01-08T10:00:02.771845Z",
            "2026-05-12T08:31:40.113905Z",
        );
        set(&mut datasets, "type", json!("sbs_15k"));
        set(
            &mut datasets,
            "specs",
            json!({"perf_iops": 15000, "class": "sbs"}),
        );
        let mut bv_nb = block_root(
            BV_NOTEBOOK_ROOT,
            P_ML,
            z,
            "ml-notebook-root",
            &notebook,
            "2025-01-08T09:14:52.004115Z",
        );
        wire::attach_sbs_volume(&mut trainer, 0, &mut bv_trainer);
        wire::attach_sbs_volume(&mut trainer, 1, &mut datasets);
        wire::attach_sbs_volume(&mut notebook, 0, &mut bv_nb);
        let mut ip = wire::ip(IP_TRAINER_V4, ORG, P_ML, z, "151.115.40.12");
        wire::attach_ip(&mut trainer, &mut ip);
        let bs_datasets = created(
            wire::block_snapshot_of(BS_DATASETS, "datasets-2026-11-01", &datasets),
            "2026-11-01T01:00:10.204518Z",
            "2026-11-01T01:41:52.771903Z",
        );
        let mut bs_orphan = created(
            wire::block_snapshot(
                BS_ORPHAN,
                P_ML,
                z,
                "datasets-v1-final",
                Some((BV_GONE, "datasets-v1")),
            ),
            "2026-02-10T09:45:33.118274Z",
            "2026-02-10T09:52:02.660182Z",
        );
        if let Some(parent) = bs_orphan.get_mut("parent_volume") {
            set(parent, "status", json!("deleted"));
        }
        set(&mut bs_orphan, "size", json!(500_000_000_000u64));
        let zw = org.zone_mut(z);
        zw.servers = vec![trainer, notebook];
        zw.ips = vec![ip];
        zw.block_volumes = vec![bv_trainer, datasets, bv_nb];
        zw.block_snapshots = vec![bs_datasets, bs_orphan];
    }

    // --- it-mil-1: Instance only (Block answers 501 here) ----------------------
    {
        let z = "it-mil-1";
        let mut edge = server(
            S_EDGE,
            P_PROD,
            z,
            "edge-mil-01",
            "PRO2-XXS",
            "2026-03-18T10:05:12.550218Z",
            &["edge", "prod"],
        );
        set(
            &mut edge,
            "dns",
            json!(format!("{S_EDGE}.pub.instance.scw.eu")),
        );
        // Its commercial type has reached end of service.
        set(&mut edge, "end_of_service", json!(true));
        if let Some(m) = edge.get_mut("image").and_then(|i| i.get_mut("root_volume")) {
            *m = json!({"volume_type": "l_ssd", "id": wire::derive_id(z, "image-ubuntu-root"), "size": 10_000_000_000u64, "name": "ubuntu_noble:volume-0"});
        }
        let mut root = created(
            wire::volume(
                V_EDGE_ROOT,
                ORG,
                P_PROD,
                z,
                "edge-mil-01-root",
                20_000_000_000,
            ),
            "2026-03-18T10:05:13.118402Z",
            "2026-03-18T10:05:13.118402Z",
        );
        wire::attach_local_volume(&mut edge, 0, &mut root);
        let mut ip = wire::ip(IP_EDGE_V4, ORG, P_PROD, z, "195.154.12.7");
        wire::attach_ip(&mut edge, &mut ip);
        let snap = created(
            wire::snapshot_of(SNAP_EDGE_ROOT, "edge-mil-01-root-weekly", &root),
            "2026-11-29T03:00:00.402771Z",
            "2026-11-29T03:03:12.113905Z",
        );
        let zw = org.zone_mut(z);
        zw.servers = vec![edge];
        zw.ips = vec![ip];
        zw.volumes = vec![root];
        zw.snapshots = vec![snap];
    }

    let credential = Credential::new(K_INVENTORY, SECRET, ORG);
    (World::single(org, credential.clone()), credential)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fakeapi::{start, Faults};
    use std::collections::HashSet;

    fn is_access_key(k: &str) -> bool {
        k.len() == 20
            && k.starts_with("SCW")
            && k[3..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    }

    #[test]
    fn demo_is_deterministic_and_consistent() {
        let (w1, c1) = demo_world();
        let (w2, _) = demo_world();
        assert_eq!(w1, w2);
        assert!(is_access_key(&c1.access_key));
        let org = &w1.organizations[0];
        for k in &org.api_keys {
            assert!(is_access_key(k["access_key"].as_str().unwrap_or("")), "{k}");
        }
        // Every id unique; every reference the demo means to be dangling is.
        let mut seen = HashSet::new();
        let zones = org.zones.values();
        let all = org
            .projects
            .iter()
            .chain(&org.users)
            .chain(&org.groups)
            .chain(&org.applications);
        let zonal: Vec<&Value> = zones
            .flat_map(|z| {
                z.servers
                    .iter()
                    .chain(&z.ips)
                    .chain(&z.volumes)
                    .chain(&z.snapshots)
                    .chain(&z.block_volumes)
                    .chain(&z.block_snapshots)
            })
            .collect();
        for v in all.chain(zonal.iter().copied()) {
            let id = v["id"].as_str().unwrap_or("");
            assert!(seen.insert(id.to_owned()), "duplicate {id}");
        }
        for gone in [U_DELETED, V_GONE, BV_GONE] {
            assert!(!seen.contains(gone));
        }
        // Timestamps: all before DEMO_NOW, in the right format per API.
        let text = serde_json::to_string(&w1).unwrap_or_default();
        for bad in ["2027-01", "2023-"] {
            assert!(!text.contains(&format!("\"created_at\":\"{bad}")));
        }
        let fr1 = &org.zones["fr-par-1"];
        assert!(fr1.servers[0]["creation_date"]
            .as_str()
            .unwrap_or("")
            .ends_with("+00:00"));
        assert!(fr1.block_volumes[0]["created_at"]
            .as_str()
            .unwrap_or("")
            .ends_with('Z'));
        assert_eq!(org.zones["fr-par-2"].ips.len(), FLEET_POOL_SIZE);
        assert!(org
            .zones
            .get("it-mil-1")
            .is_none_or(|z| z.block_volumes.is_empty()));
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap_or_default()
    }

    async fn fetch(url: &str) -> (u16, Value, Option<String>) {
        let resp = client()
            .get(url)
            .header("X-Auth-Token", SECRET)
            .send()
            .await;
        let Ok(resp) = resp else {
            panic!("request failed: {url}");
        };
        let status = resp.status().as_u16();
        let total = resp
            .headers()
            .get("x-total-count")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp.bytes().await.unwrap_or_default();
        (
            status,
            serde_json::from_slice(&body).unwrap_or(Value::Null),
            total,
        )
    }

    #[tokio::test]
    async fn demo_served_invariants() {
        let (world, cred) = demo_world();
        let api = match start(world, Faults::none()).await {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        };
        let base = api.url();

        // The credential resolves to the organization (reference §4.2).
        let (_, key, _) = fetch(&format!("{base}/iam/v1alpha1/api-keys/{}", cred.access_key)).await;
        let user_id = key["user_id"].as_str().unwrap_or("");
        assert_eq!(user_id, U_OWNER);
        let (_, user, _) = fetch(&format!("{base}/iam/v1alpha1/users/{user_id}")).await;
        assert_eq!(user["organization_id"], json!(ORG));
        assert_eq!(user["type"], json!("owner"));
        let (_, org, _) = fetch(&format!("{base}/iam/v1alpha1/organizations/{ORG}")).await;
        assert_eq!(org["name"], json!("Acme Robotics"));

        // The fleet IP listing needs a second page at 100.
        let ips = format!("{base}/instance/v1/zones/fr-par-2/ips?organization={ORG}&per_page=100");
        let (_, p1, total) = fetch(&format!("{ips}&page=1")).await;
        assert_eq!(total.as_deref(), Some("106"));
        assert_eq!(p1["ips"].as_array().map(Vec::len), Some(100));
        let (_, p2, _) = fetch(&format!("{ips}&page=2")).await;
        assert_eq!(p2["ips"].as_array().map(Vec::len), Some(6));

        // Every notable object is served where expected.
        let iam =
            |coll: &str| format!("{base}/iam/v1alpha1/{coll}?organization_id={ORG}&page_size=100");
        let (_, users, _) = fetch(&iam("users")).await;
        let users = users["users"].as_array().cloned().unwrap_or_default();
        let by_id = |id: &str| {
            users
                .iter()
                .find(|u| u["id"] == json!(id))
                .cloned()
                .unwrap_or(Value::Null)
        };
        assert_eq!(by_id(U_SOPHIE)["locked"], json!(true));
        assert_eq!(by_id(U_NOAH)["status"], json!("invitation_pending"));
        assert_eq!(by_id(U_NOAH)["last_login_at"], Value::Null);
        assert_eq!(by_id(U_EMMA)["last_login_at"], Value::Null);
        assert_eq!(by_id(U_LUCAS)["mfa"], json!(false));
        assert_eq!(
            by_id(U_HUGO)["last_login_at"],
            json!("2025-08-14T10:03:55.901527Z")
        );
        let (_, keys, _) = fetch(&iam("api-keys")).await;
        assert_eq!(keys["total_count"], json!(9));
        let keys = keys["api_keys"].as_array().cloned().unwrap_or_default();
        let key = |k: &str| {
            keys.iter()
                .find(|x| x["access_key"] == json!(k))
                .cloned()
                .unwrap_or(Value::Null)
        };
        assert_eq!(key(K_ORPHAN)["user_id"], json!(U_DELETED));
        assert_eq!(
            key(K_EXPIRED)["expires_at"],
            json!("2026-06-30T10:15:00.000Z")
        );
        assert_eq!(
            key(K_EXPIRING_SOON)["expires_at"],
            json!("2026-12-18T09:30:12.000Z")
        );
        assert_eq!(key(K_APPLICATION)["application_id"], json!(A_CI));
        assert!(key(K_APPLICATION).get("user_id").is_none());
        assert!(key(K_OLD)["created_at"]
            .as_str()
            .is_some_and(|c| c.starts_with("2024-")));
        let (_, orphan_user, _) = fetch(&format!("{base}/iam/v1alpha1/users/{U_DELETED}")).await;
        assert_eq!(orphan_user["type"], json!("not_found"));

        let inst = |zone: &str, coll: &str, id: &str| {
            format!("{base}/instance/v1/zones/{zone}/{coll}/{id}")
        };
        let (_, s, _) = fetch(&inst("nl-ams-1", "servers", S_STAGING)).await;
        assert_eq!(s["server"]["state"], json!("stopped"));
        assert_eq!(s["server"]["public_ips"][0]["id"], json!(IP_STAGING_V4));
        let (_, s, _) = fetch(&inst("fr-par-1", "servers", S_WEB01)).await;
        assert_eq!(
            s["server"]["volumes"]["0"]["volume_type"],
            json!("sbs_volume")
        );
        assert_eq!(s["server"]["volumes"]["1"]["volume_type"], json!("l_ssd"));
        assert_eq!(s["server"]["public_ips"].as_array().map(Vec::len), Some(2));
        let (_, ip, _) = fetch(&inst("fr-par-1", "ips", IP_SPARE)).await;
        assert_eq!(ip["ip"]["state"], json!("detached"));
        let (_, v, _) = fetch(&inst("fr-par-1", "volumes", V_UNMOUNTED)).await;
        assert_eq!(v["volume"]["server"], Value::Null);
        let (_, snap, _) = fetch(&inst("fr-par-1", "snapshots", SNAP_ORPHAN)).await;
        assert_eq!(snap["snapshot"]["base_volume"]["id"], json!(V_GONE));
        let (status, _, _) = fetch(&inst("fr-par-1", "volumes", V_GONE)).await;
        assert_eq!(status, 404);
        let (_, snap, _) = fetch(&inst("fr-par-1", "snapshots", SNAP_IMPORTED)).await;
        assert_eq!(snap["snapshot"]["base_volume"], Value::Null);
        let (_, snap, _) = fetch(&inst("nl-ams-1", "snapshots", SNAP_FAILED)).await;
        assert_eq!(snap["snapshot"]["state"], json!("error"));

        let block = |zone: &str, coll: &str, id: &str| {
            format!("{base}/block/v1alpha1/zones/{zone}/{coll}/{id}")
        };
        let (_, bv, _) = fetch(&block("fr-par-1", "volumes", BV_WEB01_ROOT)).await;
        assert_eq!(bv["references"][0]["product_resource_id"], json!(S_WEB01));
        let (_, bv, _) = fetch(&block("fr-par-1", "volumes", BV_UNMOUNTED)).await;
        assert_eq!(bv["references"], json!([]));
        let (_, bs, _) = fetch(&block("pl-waw-2", "snapshots", BS_ORPHAN)).await;
        assert_eq!(bs["parent_volume"]["id"], json!(BV_GONE));
        let (_, bs, _) = fetch(&block("nl-ams-1", "snapshots", BS_PARENT_NULL)).await;
        assert_eq!(bs["parent_volume"], Value::Null);
        let (status, _, _) = fetch(&format!(
            "{base}/block/v1alpha1/zones/it-mil-1/volumes?organization_id={ORG}"
        ))
        .await;
        assert_eq!(status, 501);
        let (_, mil, total) = fetch(&format!(
            "{base}/instance/v1/zones/it-mil-1/servers?organization={ORG}"
        ))
        .await;
        assert_eq!(total.as_deref(), Some("1"));
        assert_eq!(mil["servers"][0]["id"], json!(S_EDGE));
    }
}
