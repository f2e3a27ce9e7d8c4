//! Generated organizations of any size for benchmarks: deterministic per seed, realistic object sizes, coherent relationships, and churn between two states.
//!
//! Proportions of [`SyntheticSpec::objects`]: 5 % IAM (users, API keys,
//! applications, groups), 20 % servers, 20 % flexible IPs, 25 % volumes
//! (one root volume per server — SBS, or local in `it-mil-1` — then extra
//! local and Block volumes, most of them mounted), 25 % snapshots (half
//! Instance, half Block, a few orphaned or failed), the rest projects.
//! Servers are spread round-robin over the 10 zones; Block objects never go
//! to `it-mil-1`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::world::{wire, Credential, OrgWorld, World, ZoneWorld, BLOCK_ZONES, INSTANCE_ZONES};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticSpec {
    /// Approximate number of objects of all kinds.
    pub objects: usize,
    /// Same seed, same world.
    pub seed: u64,
}

const FIRST: [&str; 24] = [
    "alice", "bruno", "chloe", "david", "elena", "farid", "giulia", "hannah", "ivan", "julia",
    "karim", "laura", "marco", "nina", "oscar", "paula", "quentin", "rosa", "samir", "tessa",
    "umberto", "vera", "wojciech", "zoe",
];
const LAST: [&str; 20] = [
    "martin", "bernard", "dubois", "rossi", "nowak", "jansen", "garcia", "muller", "kowalski",
    "leroy", "moreau", "bianchi", "visser", "fontaine", "schmidt", "lambert", "novak", "ricci",
    "meyer", "dupont",
];
const ROLES: [&str; 10] = [
    "web",
    "api",
    "worker",
    "db",
    "cache",
    "batch",
    "ci-runner",
    "gateway",
    "ml",
    "monitoring",
];
const TYPES: [&str; 9] = [
    "DEV1-S",
    "DEV1-M",
    "PRO2-XS",
    "PRO2-S",
    "PRO2-M",
    "POP2-2C-8G",
    "POP2-4C-16G",
    "BASIC3-X2C-4G",
    "GP1-XS",
];
const TAGS: [&str; 8] = [
    "prod", "staging", "dev", "team-a", "team-b", "legacy", "eu", "critical",
];

struct Gen {
    rng: StdRng,
}

impl Gen {
    fn id(&mut self) -> String {
        wire::uuid_from_u128(self.rng.random())
    }

    /// A time between 2024-01-01 and 2026-11-30.
    fn time(&mut self) -> DateTime<Utc> {
        let start = Utc
            .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let secs = self.rng.random_range(0..(3 * 365 - 32) * 86_400i64);
        let micros = self.rng.random_range(0..1_000_000i64);
        start + Duration::seconds(secs) + Duration::microseconds(micros)
    }

    /// Sets created/updated to a random time and a later one.
    fn stamp(&mut self, obj: &mut Value) -> DateTime<Utc> {
        let c = self.time();
        let u = c + Duration::seconds(self.rng.random_range(0..30 * 86_400));
        wire::set_created(obj, c, u);
        c
    }

    fn tags(&mut self) -> Value {
        let n = self.rng.random_range(0..3);
        let tags: Vec<&str> = TAGS.choose_multiple(&mut self.rng, n).copied().collect();
        json!(tags)
    }

    fn access_key(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let mut k = String::from("SCW");
        for _ in 0..17 {
            let i = self.rng.random_range(0..ALPHABET.len());
            k.push(char::from(ALPHABET[i]));
        }
        k
    }

    fn ipv4(&mut self) -> String {
        let a = [51u8, 62, 163, 195, 212, 151][self.rng.random_range(0..6)];
        format!(
            "{a}.{}.{}.{}",
            self.rng.random_range(0..=255u8),
            self.rng.random_range(0..=255u8),
            self.rng.random_range(1..=254u8)
        )
    }
}

fn set(obj: &mut Value, key: &str, value: Value) {
    if let Some(m) = obj.as_object_mut() {
        m.insert(key.to_owned(), value);
    }
}

fn is_block_zone(zone: &str) -> bool {
    BLOCK_ZONES.contains(&zone)
}

/// Builds a world of about `spec.objects` objects in one organization, with
/// one credential (an API key of the owner, present in `api_keys`).
pub fn synthetic_world(spec: &SyntheticSpec) -> (World, Credential) {
    let mut g = Gen {
        rng: StdRng::seed_from_u64(spec.seed),
    };
    let org_id = g.id();
    let n = spec.objects;
    let pct = |p: usize| n * p / 100;
    let n_iam = pct(5);
    let n_users = (n_iam * 40 / 100).max(1);
    let n_keys = (n_iam * 35 / 100).max(1);
    let n_apps = n_iam * 10 / 100;
    let n_groups = n_iam.saturating_sub(n_users + n_keys + n_apps);
    let n_servers = pct(20);
    let n_ips = pct(20);
    let n_vols = pct(25);
    let n_snaps = pct(25);
    let used = n_users + n_keys + n_apps + n_groups + n_servers + n_ips + n_vols + n_snaps;
    let n_projects = n.saturating_sub(used).max(1);

    let mut org = OrgWorld::new(&org_id, &format!("Synthetic {}", spec.seed));

    // Projects.
    for i in 0..n_projects {
        let name = if i == 0 {
            "default".to_owned()
        } else {
            format!("{}-{i}", ROLES[i % ROLES.len()])
        };
        let pid = g.id();
        let mut p = wire::project(&pid, &org_id, &name);
        g.stamp(&mut p);
        if g.rng.random_bool(0.3) {
            set(
                &mut p,
                "description",
                json!(format!("workloads of team {}", LAST[i % LAST.len()])),
            );
        }
        org.projects.push(p);
    }
    let project_ids: Vec<String> = org
        .projects
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_owned))
        .collect();

    // Users.
    for i in 0..n_users {
        let uid = g.id();
        let first = FIRST[g.rng.random_range(0..FIRST.len())];
        let last = LAST[g.rng.random_range(0..LAST.len())];
        let email = format!("{first}.{last}{i}@example.com");
        let mut u = if i == 0 {
            wire::owner(&uid, &org_id, &email)
        } else {
            wire::user(&uid, &org_id, &email)
        };
        let created = g.stamp(&mut u);
        let roll: f64 = g.rng.random();
        if i > 0 && roll < 0.03 {
            u = wire::invited_user(&uid, &org_id, &email);
            wire::set_created(&mut u, created, created);
        } else {
            let mfa = i == 0 || g.rng.random_bool(0.8);
            set(&mut u, "mfa", json!(mfa));
            set(&mut u, "two_factor_enabled", json!(mfa));
            let login = if g.rng.random_bool(0.05) {
                Value::Null
            } else {
                let t = g.time().max(created);
                json!(wire::ts_z(t))
            };
            set(&mut u, "last_login_at", login);
            if i > 0 && g.rng.random_bool(0.02) {
                set(&mut u, "locked", json!(true));
            }
        }
        org.users.push(u);
    }
    let user_ids: Vec<String> = org
        .users
        .iter()
        .filter_map(|u| u["id"].as_str().map(str::to_owned))
        .collect();

    // Applications.
    for i in 0..n_apps {
        let aid = g.id();
        let mut a = wire::application(
            &aid,
            &org_id,
            &format!("{}-app-{i}", ROLES[i % ROLES.len()]),
            0,
        );
        g.stamp(&mut a);
        set(&mut a, "tags", g.tags());
        org.applications.push(a);
    }
    let app_ids: Vec<String> = org
        .applications
        .iter()
        .filter_map(|a| a["id"].as_str().map(str::to_owned))
        .collect();

    // Groups.
    for i in 0..n_groups {
        let gid = g.id();
        let nu = g.rng.random_range(0..=8usize.min(user_ids.len()));
        let na = g.rng.random_range(0..=2usize.min(app_ids.len()));
        let users: Vec<&str> = user_ids
            .choose_multiple(&mut g.rng, nu)
            .map(String::as_str)
            .collect();
        let apps: Vec<&str> = app_ids
            .choose_multiple(&mut g.rng, na)
            .map(String::as_str)
            .collect();
        let mut grp = wire::group(&gid, &org_id, &format!("group-{i}"), &users, &apps);
        g.stamp(&mut grp);
        org.groups.push(grp);
    }

    // API keys: the first is the credential's (owner, never expires).
    let mut app_key_counts = vec![0u32; app_ids.len()];
    let credential_key = g.access_key();
    for i in 0..n_keys {
        let ak = if i == 0 {
            credential_key.clone()
        } else {
            g.access_key()
        };
        let project = project_ids.choose(&mut g.rng).cloned().unwrap_or_default();
        let mut k = if i > 0 && !app_ids.is_empty() && g.rng.random_bool(0.25) {
            let a = g.rng.random_range(0..app_ids.len());
            app_key_counts[a] += 1;
            wire::application_api_key(&ak, &app_ids[a], &project)
        } else {
            let u = if i == 0 {
                0
            } else {
                g.rng.random_range(0..user_ids.len())
            };
            wire::user_api_key(&ak, &user_ids[u], &project)
        };
        let created = g.stamp(&mut k);
        if i > 0 && g.rng.random_bool(0.5) {
            let days = g.rng.random_range(30..900);
            wire::set_expires(&mut k, Some(created + Duration::days(days)));
        }
        set(&mut k, "description", json!(format!("key {i}")));
        org.api_keys.push(k);
    }
    for (a, count) in org.applications.iter_mut().zip(app_key_counts) {
        set(a, "nb_api_keys", json!(count));
    }

    // Zonal objects.
    let mut zones: BTreeMap<String, ZoneWorld> = INSTANCE_ZONES
        .iter()
        .map(|z| ((*z).to_owned(), ZoneWorld::default()))
        .collect();
    // (zone, index) of every server, local volume and block volume.
    let mut servers: Vec<(&str, usize)> = Vec::with_capacity(n_servers);
    let mut locals: Vec<(&str, usize)> = Vec::new();
    let mut blocks: Vec<(&str, usize)> = Vec::new();
    let mut vols_left = n_vols;
    for i in 0..n_servers {
        let zone = INSTANCE_ZONES[i % INSTANCE_ZONES.len()];
        let project = project_ids.choose(&mut g.rng).cloned().unwrap_or_default();
        let sid = g.id();
        let role = ROLES[g.rng.random_range(0..ROLES.len())];
        let name = format!("{role}-{i:05}");
        let mut s = wire::server(&sid, &org_id, &project, zone, &name);
        let created = g.stamp(&mut s);
        set(
            &mut s,
            "commercial_type",
            json!(TYPES[g.rng.random_range(0..TYPES.len())]),
        );
        set(&mut s, "tags", g.tags());
        let roll: f64 = g.rng.random();
        if roll < 0.10 {
            wire::set_server_state(&mut s, "stopped");
        } else if roll < 0.15 {
            wire::set_server_state(&mut s, "stopped in place");
        }
        if g.rng.random_bool(0.5) {
            let pn = wire::derive_id(&project, zone);
            wire::add_private_nic(&mut s, &pn);
        }
        let zw = zones.entry(zone.to_owned()).or_default();
        if vols_left > 0 {
            vols_left -= 1;
            let vid = g.id();
            if is_block_zone(zone) {
                let mut v = wire::block_volume(
                    &vid,
                    &project,
                    zone,
                    &format!("{name}-root"),
                    20_000_000_000,
                );
                wire::set_created(&mut v, created, created);
                set(
                    &mut v,
                    "parent_snapshot_id",
                    s["image"]["root_volume"]["id"].clone(),
                );
                wire::attach_sbs_volume(&mut s, 0, &mut v);
                blocks.push((zone, zw.block_volumes.len()));
                zw.block_volumes.push(v);
            } else {
                let mut v = wire::volume(
                    &vid,
                    &org_id,
                    &project,
                    zone,
                    &format!("{name}-root"),
                    20_000_000_000,
                );
                wire::set_created(&mut v, created, created);
                wire::attach_local_volume(&mut s, 0, &mut v);
                locals.push((zone, zw.volumes.len()));
                zw.volumes.push(v);
            }
        }
        servers.push((zone, zw.servers.len()));
        zw.servers.push(s);
    }

    // Extra volumes: half local, half Block; 70 % mounted on a server of their zone.
    for j in 0..vols_left {
        let zone = INSTANCE_ZONES[g.rng.random_range(0..INSTANCE_ZONES.len())];
        let project = project_ids.choose(&mut g.rng).cloned().unwrap_or_default();
        let vid = g.id();
        let size = [10u64, 20, 50, 100, 200, 500][g.rng.random_range(0..6)] * 1_000_000_000;
        let zw = zones.entry(zone.to_owned()).or_default();
        let target = if !zw.servers.is_empty() && g.rng.random_bool(0.7) {
            Some(g.rng.random_range(0..zw.servers.len()))
        } else {
            None
        };
        let block = is_block_zone(zone) && j % 2 == 0;
        if block {
            let mut v = wire::block_volume(&vid, &project, zone, &format!("data-{j:05}"), size);
            g.stamp(&mut v);
            if g.rng.random_bool(0.3) {
                set(&mut v, "type", json!("sbs_15k"));
                set(&mut v, "specs", json!({"perf_iops": 15000, "class": "sbs"}));
            }
            if let Some(t) = target {
                let srv = &mut zw.servers[t];
                let next = srv["volumes"].as_object().map_or(0, |m| m.len());
                let next = u32::try_from(next).unwrap_or(u32::MAX);
                if let Some(project) = srv["project"].as_str().map(str::to_owned) {
                    set(&mut v, "project_id", json!(project));
                }
                wire::attach_sbs_volume(srv, next, &mut v);
            } else {
                let detached = g.time();
                set(&mut v, "last_detached_at", json!(wire::ts_z(detached)));
            }
            blocks.push((zone, zw.block_volumes.len()));
            zw.block_volumes.push(v);
        } else {
            let mut v = wire::volume(
                &vid,
                &org_id,
                &project,
                zone,
                &format!("scratch-{j:05}"),
                size,
            );
            g.stamp(&mut v);
            set(&mut v, "tags", g.tags());
            if let Some(t) = target {
                let srv = &mut zw.servers[t];
                let next = srv["volumes"].as_object().map_or(0, |m| m.len());
                let next = u32::try_from(next).unwrap_or(u32::MAX);
                if let Some(project) = srv["project"].as_str().map(str::to_owned) {
                    set(&mut v, "project", json!(project));
                }
                wire::attach_local_volume(srv, next, &mut v);
            }
            locals.push((zone, zw.volumes.len()));
            zw.volumes.push(v);
        }
    }

    // Flexible IPs: 85 % attached (round-robin over servers, some IPv6), the rest free.
    let attached = n_ips * 85 / 100;
    for k in 0..n_ips {
        let iid = g.id();
        let (zone, server) = if k < attached && !servers.is_empty() {
            let (z, s) = servers[k % servers.len()];
            (z, Some(s))
        } else {
            (
                INSTANCE_ZONES[g.rng.random_range(0..INSTANCE_ZONES.len())],
                None,
            )
        };
        let zw = zones.entry(zone.to_owned()).or_default();
        let project = match server {
            Some(s) => zw.servers[s]["project"].as_str().unwrap_or("").to_owned(),
            None => project_ids.choose(&mut g.rng).cloned().unwrap_or_default(),
        };
        let mut ip = if server.is_some() && k >= servers.len() && g.rng.random_bool(0.5) {
            let prefix = format!(
                "2001:bc8:{:x}:{:x}::/64",
                g.rng.random_range(0..0xffffu32),
                g.rng.random_range(0..0xffffu32)
            );
            wire::ipv6(&iid, &org_id, &project, zone, &prefix)
        } else {
            let addr = g.ipv4();
            wire::ip(&iid, &org_id, &project, zone, &addr)
        };
        g.stamp(&mut ip);
        if g.rng.random_bool(0.2) {
            set(&mut ip, "reverse", json!(format!("host-{k}.example.com")));
        }
        if let Some(s) = server {
            wire::attach_ip(&mut zw.servers[s], &mut ip);
        } else {
            set(&mut ip, "tags", g.tags());
        }
        zw.ips.push(ip);
    }

    // Snapshots: half Instance (of local volumes), half Block (of Block volumes).
    for k in 0..n_snaps {
        let sid = g.id();
        let instance = k % 2 == 0 || blocks.is_empty();
        if instance {
            let picked = locals.choose(&mut g.rng).copied();
            let (zone, mut snap) = match picked {
                Some((zone, v)) => {
                    let vol = &zones[zone].volumes[v];
                    (zone, wire::snapshot_of(&sid, &format!("snap-{k:05}"), vol))
                }
                None => {
                    let zone = INSTANCE_ZONES[k % INSTANCE_ZONES.len()];
                    let project = project_ids.choose(&mut g.rng).cloned().unwrap_or_default();
                    (
                        zone,
                        wire::snapshot(
                            &sid,
                            &org_id,
                            &project,
                            zone,
                            &format!("snap-{k:05}"),
                            None,
                        ),
                    )
                }
            };
            g.stamp(&mut snap);
            let roll: f64 = g.rng.random();
            if roll < 0.05 {
                let gone = g.id();
                set(
                    &mut snap,
                    "base_volume",
                    json!({"id": gone, "name": "deleted-volume"}),
                );
            } else if roll < 0.08 {
                set(&mut snap, "base_volume", Value::Null);
            } else if roll < 0.10 {
                set(&mut snap, "state", json!("error"));
            }
            zones
                .entry(zone.to_owned())
                .or_default()
                .snapshots
                .push(snap);
        } else {
            let picked = blocks.choose(&mut g.rng).copied();
            let Some((zone, v)) = picked else { continue };
            let vol = &zones[zone].block_volumes[v];
            let mut snap = wire::block_snapshot_of(&sid, &format!("bsnap-{k:05}"), vol);
            g.stamp(&mut snap);
            let roll: f64 = g.rng.random();
            if roll < 0.05 {
                let gone = g.id();
                set(
                    &mut snap,
                    "parent_volume",
                    json!({"id": gone, "name": "deleted-volume", "type": "sbs_5k", "status": "deleted"}),
                );
            } else if roll < 0.07 {
                set(&mut snap, "parent_volume", Value::Null);
            }
            zones
                .entry(zone.to_owned())
                .or_default()
                .block_snapshots
                .push(snap);
        }
    }
    org.zones = zones;

    let secret = g.id();
    let credential = Credential::new(&credential_key, &secret, &org_id);
    (World::single(org, credential.clone()), credential)
}

/// Which collection of an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Coll {
    Projects,
    Users,
    Groups,
    Applications,
    ApiKeys,
    Zonal(String, usize),
}

fn coll_mut<'a>(org: &'a mut OrgWorld, c: &Coll) -> Option<&'a mut Vec<Value>> {
    Some(match c {
        Coll::Projects => &mut org.projects,
        Coll::Users => &mut org.users,
        Coll::Groups => &mut org.groups,
        Coll::Applications => &mut org.applications,
        Coll::ApiKeys => &mut org.api_keys,
        Coll::Zonal(zone, k) => {
            let zw = org.zones.get_mut(zone)?;
            match k {
                0 => &mut zw.servers,
                1 => &mut zw.ips,
                2 => &mut zw.volumes,
                3 => &mut zw.snapshots,
                4 => &mut zw.block_volumes,
                _ => &mut zw.block_snapshots,
            }
        }
    })
}

fn colls(org: &OrgWorld) -> Vec<(Coll, usize)> {
    let mut out = vec![
        (Coll::Projects, org.projects.len()),
        (Coll::Users, org.users.len()),
        (Coll::Groups, org.groups.len()),
        (Coll::Applications, org.applications.len()),
        (Coll::ApiKeys, org.api_keys.len()),
    ];
    for (zone, zw) in &org.zones {
        let lens = [
            zw.servers.len(),
            zw.ips.len(),
            zw.volumes.len(),
            zw.snapshots.len(),
            zw.block_volumes.len(),
            zw.block_snapshots.len(),
        ];
        for (k, n) in lens.into_iter().enumerate() {
            out.push((Coll::Zonal(zone.clone(), k), n));
        }
    }
    out
}

/// Whether an object may be deleted without leaving the world incoherent
/// (leaves only: snapshots, free IPs, unmounted volumes, keys other than the
/// credentials').
fn removable(c: &Coll, v: &Value, protected_keys: &[String]) -> bool {
    match c {
        Coll::ApiKeys => v["access_key"]
            .as_str()
            .is_some_and(|k| !protected_keys.iter().any(|p| p == k)),
        Coll::Zonal(_, 1) => v["server"].is_null(),
        Coll::Zonal(_, 2) => v["server"].is_null(),
        Coll::Zonal(_, 3) | Coll::Zonal(_, 5) => true,
        Coll::Zonal(_, 4) => v["references"].as_array().is_none_or(Vec::is_empty),
        _ => false,
    }
}

/// Changes about `fraction` of the objects of every organization: half of
/// them modified (tags, update time, state, last login), a quarter added
/// (snapshots, free IPs, users, keys), a quarter removed (leaves only, see
/// `removable`). Deterministic for a seed. Credentials keep working.
pub fn churn(world: &mut World, fraction: f64, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let protected: Vec<String> = world
        .credentials
        .iter()
        .map(|c| c.access_key.clone())
        .collect();
    let later = Utc
        .with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    for org in &mut world.organizations {
        let total = org.object_count();
        let target = (total as f64 * fraction.clamp(0.0, 1.0)).round() as usize;
        let n_modify = target / 2;
        let n_add = target / 4;
        let n_remove = target - n_modify - n_add;
        let mut g = Gen {
            rng: StdRng::seed_from_u64(rng.random()),
        };

        // Modify.
        let cs = colls(org);
        let weights: Vec<usize> = cs.iter().map(|(_, n)| *n).collect();
        let sum: usize = weights.iter().sum();
        if sum > 0 {
            for m in 0..n_modify {
                let mut r = rng.random_range(0..sum);
                let mut pick = 0;
                while pick < weights.len() && r >= weights[pick] {
                    r -= weights[pick];
                    pick += 1;
                }
                let Some((c, _)) = cs.get(pick) else { continue };
                let Some(list) = coll_mut(org, c) else {
                    continue;
                };
                let Some(obj) = list.get_mut(r) else { continue };
                let when = later + Duration::seconds(rng.random_range(0..86_400 * 20));
                if obj.get("modification_date").is_some() {
                    set(obj, "modification_date", json!(wire::ts_offset(when)));
                } else if obj.get("updated_at").is_some() {
                    set(obj, "updated_at", json!(wire::ts_z(when)));
                }
                if let Some(tags) = obj.get_mut("tags").and_then(Value::as_array_mut) {
                    tags.push(json!(format!("churn-{m}")));
                }
                if obj.get("last_login_at").is_some_and(|l| !l.is_null()) {
                    set(obj, "last_login_at", json!(wire::ts_z(when)));
                }
                if let Coll::Zonal(_, 0) = c {
                    let state = if obj["state"] == json!("running") {
                        "stopped"
                    } else {
                        "running"
                    };
                    wire::set_server_state(obj, state);
                }
            }
        }

        // Remove.
        let cs = colls(org);
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for (ci, (c, n)) in cs.iter().enumerate() {
            let Some(list) = coll_mut(org, c) else {
                continue;
            };
            for i in 0..*n {
                if list.get(i).is_some_and(|v| removable(c, v, &protected)) {
                    candidates.push((ci, i));
                }
            }
        }
        candidates.shuffle(&mut rng);
        candidates.truncate(n_remove);
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        for (ci, i) in candidates {
            if let Some(list) = coll_mut(org, &cs[ci].0) {
                if i < list.len() {
                    list.remove(i);
                }
            }
        }

        // Add: snapshots of existing volumes, free IPs, users, user keys.
        let org_id = org.id.clone();
        let project = org
            .projects
            .first()
            .and_then(|p| p["id"].as_str())
            .unwrap_or("")
            .to_owned();
        for a in 0..n_add {
            let id = g.id();
            let zone = INSTANCE_ZONES[g.rng.random_range(0..INSTANCE_ZONES.len())];
            match a % 4 {
                0 => {
                    let zw = org.zone_mut(zone);
                    let snap = match zw.volumes.choose(&mut g.rng) {
                        Some(v) => wire::snapshot_of(&id, &format!("churn-snap-{a}"), v),
                        None => wire::snapshot(
                            &id,
                            &org_id,
                            &project,
                            zone,
                            &format!("churn-snap-{a}"),
                            None,
                        ),
                    };
                    zw.snapshots.push(snap);
                }
                1 => {
                    let addr = g.ipv4();
                    org.zone_mut(zone)
                        .ips
                        .push(wire::ip(&id, &org_id, &project, zone, &addr));
                }
                2 => {
                    let email = format!("new.hire{a}-{}@example.com", &id[..8]);
                    org.users.push(wire::user(&id, &org_id, &email));
                }
                _ => {
                    let bearer = org
                        .users
                        .choose(&mut g.rng)
                        .and_then(|u| u["id"].as_str())
                        .unwrap_or("")
                        .to_owned();
                    let ak = g.access_key();
                    org.api_keys
                        .push(wire::user_api_key(&ak, &bearer, &project));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn deterministic_sized_and_coherent() {
        let spec = SyntheticSpec {
            objects: 5_000,
            seed: 7,
        };
        let (w, cred) = synthetic_world(&spec);
        let (w2, cred2) = synthetic_world(&spec);
        assert_eq!(w, w2);
        assert_eq!(cred, cred2);
        let count = w.object_count();
        assert!((4_900..=5_100).contains(&count), "{count}");
        let org = &w.organizations[0];
        assert!(org
            .api_keys
            .iter()
            .any(|k| k["access_key"] == json!(cred.access_key)));
        assert!(org
            .zones
            .get("it-mil-1")
            .is_some_and(|z| z.block_volumes.is_empty() && z.block_snapshots.is_empty()));
        assert_eq!(org.zones.len(), 10);
        // Every mounted volume exists in its zone; every attached IP is listed by its server.
        for (zone, zw) in &org.zones {
            let local: HashSet<&str> = zw.volumes.iter().filter_map(|v| v["id"].as_str()).collect();
            let block: HashSet<&str> = zw
                .block_volumes
                .iter()
                .filter_map(|v| v["id"].as_str())
                .collect();
            for s in &zw.servers {
                for v in s["volumes"]
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.values())
                {
                    let id = v["id"].as_str().unwrap_or("");
                    let ok = if v["volume_type"] == json!("sbs_volume") {
                        block.contains(id)
                    } else {
                        local.contains(id)
                    };
                    assert!(ok, "{zone}: server volume {id} missing");
                }
            }
            let server_ips: HashSet<&str> = zw
                .servers
                .iter()
                .flat_map(|s| s["public_ips"].as_array().into_iter().flatten())
                .filter_map(|ip| ip["id"].as_str())
                .collect();
            for ip in &zw.ips {
                if !ip["server"].is_null() {
                    assert!(server_ips.contains(ip["id"].as_str().unwrap_or("")));
                }
            }
        }
        let servers: usize = org.zones.values().map(|z| z.servers.len()).sum();
        assert_eq!(servers, 1_000);
    }

    #[test]
    fn churn_changes_about_the_fraction() {
        let (mut w, cred) = synthetic_world(&SyntheticSpec {
            objects: 2_000,
            seed: 1,
        });
        let before = w.clone();
        churn(&mut w, 0.1, 3);
        assert_ne!(w, before);
        let n = w.object_count() as i64;
        assert!((n - 2_000).abs() <= 60, "{n}");
        assert!(w.organizations[0]
            .api_keys
            .iter()
            .any(|k| k["access_key"] == json!(cred.access_key)));
        let mut again = before.clone();
        churn(&mut again, 0.1, 3);
        assert_eq!(again, w);
    }

    #[test]
    fn tiny_worlds_work() {
        for objects in [0, 1, 10] {
            let (w, cred) = synthetic_world(&SyntheticSpec { objects, seed: 0 });
            assert!(w.organizations[0]
                .api_keys
                .iter()
                .any(|k| k["access_key"] == json!(cred.access_key)));
        }
    }
}
