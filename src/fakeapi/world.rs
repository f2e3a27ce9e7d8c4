//! The world model served by the fake API (organizations, their objects as wire JSON, credentials) and builders producing real-shaped wire JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The ten zones where the Instance API exists (reference §3.1).
pub const INSTANCE_ZONES: [&str; 10] = [
    "fr-par-1", "fr-par-2", "fr-par-3", "nl-ams-1", "nl-ams-2", "nl-ams-3", "pl-waw-1", "pl-waw-2",
    "pl-waw-3", "it-mil-1",
];

/// The nine zones where the Block Storage API exists: every Instance zone but
/// `it-mil-1`, where Block answers 501 `unknown service` (reference §3.2).
pub const BLOCK_ZONES: [&str; 9] = [
    "fr-par-1", "fr-par-2", "fr-par-3", "nl-ams-1", "nl-ams-2", "nl-ams-3", "pl-waw-1", "pl-waw-2",
    "pl-waw-3",
];

/// Everything the fake API serves. Serializable, so a world can be a JSON file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct World {
    #[serde(default)]
    pub organizations: Vec<OrgWorld>,
    /// The API keys the server accepts (`X-Auth-Token` = `secret_key`).
    #[serde(default)]
    pub credentials: Vec<Credential>,
}

/// An accepted API key. The caller's organization is `organization_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub access_key: String,
    pub secret_key: String,
    pub organization_id: String,
}

/// One organization and all its objects, each a wire JSON object exactly as
/// the API returns it.
///
/// The organization of an object is the `OrgWorld` that contains it, except
/// for Block objects (which carry only `project_id`): they belong to the
/// organization owning their project when that project is in the world, and
/// to the containing `OrgWorld` otherwise.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrgWorld {
    /// Organization UUID.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub projects: Vec<Value>,
    #[serde(default)]
    pub users: Vec<Value>,
    #[serde(default)]
    pub groups: Vec<Value>,
    #[serde(default)]
    pub applications: Vec<Value>,
    #[serde(default)]
    pub api_keys: Vec<Value>,
    /// Key: zone name, e.g. `fr-par-1`.
    #[serde(default)]
    pub zones: BTreeMap<String, ZoneWorld>,
}

/// The zonal objects of one organization in one zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ZoneWorld {
    /// Instance servers.
    #[serde(default)]
    pub servers: Vec<Value>,
    /// Instance flexible IPs.
    #[serde(default)]
    pub ips: Vec<Value>,
    /// Instance (local) volumes.
    #[serde(default)]
    pub volumes: Vec<Value>,
    /// Instance snapshots.
    #[serde(default)]
    pub snapshots: Vec<Value>,
    /// Block Storage (SBS) volumes.
    #[serde(default)]
    pub block_volumes: Vec<Value>,
    /// Block Storage snapshots.
    #[serde(default)]
    pub block_snapshots: Vec<Value>,
}

impl World {
    /// A world with one organization and one credential.
    pub fn single(org: OrgWorld, credential: Credential) -> World {
        World {
            organizations: vec![org],
            credentials: vec![credential],
        }
    }

    /// The organization with this id.
    pub fn org(&self, id: &str) -> Option<&OrgWorld> {
        self.organizations.iter().find(|o| o.id == id)
    }

    /// The organization with this id, mutable.
    pub fn org_mut(&mut self, id: &str) -> Option<&mut OrgWorld> {
        self.organizations.iter_mut().find(|o| o.id == id)
    }

    /// Number of objects of every kind in every organization.
    pub fn object_count(&self) -> usize {
        self.organizations.iter().map(OrgWorld::object_count).sum()
    }
}

impl Credential {
    pub fn new(access_key: &str, secret_key: &str, organization_id: &str) -> Credential {
        Credential {
            access_key: access_key.to_owned(),
            secret_key: secret_key.to_owned(),
            organization_id: organization_id.to_owned(),
        }
    }
}

impl OrgWorld {
    /// An empty organization.
    pub fn new(id: &str, name: &str) -> OrgWorld {
        OrgWorld {
            id: id.to_owned(),
            name: name.to_owned(),
            ..OrgWorld::default()
        }
    }

    /// The objects of a zone, created empty when absent.
    pub fn zone_mut(&mut self, zone: &str) -> &mut ZoneWorld {
        self.zones.entry(zone.to_owned()).or_default()
    }

    /// Number of objects of every kind.
    pub fn object_count(&self) -> usize {
        self.projects.len()
            + self.users.len()
            + self.groups.len()
            + self.applications.len()
            + self.api_keys.len()
            + self
                .zones
                .values()
                .map(ZoneWorld::object_count)
                .sum::<usize>()
    }
}

impl ZoneWorld {
    /// Number of objects of every kind.
    pub fn object_count(&self) -> usize {
        self.servers.len()
            + self.ips.len()
            + self.volumes.len()
            + self.snapshots.len()
            + self.block_volumes.len()
            + self.block_snapshots.len()
    }
}

/// Builders of wire JSON objects with the real shape (key names, nesting,
/// timestamp formats) for tests: each returns a `serde_json::Value` that the
/// caller may tweak (`v["mfa"] = json!(false)`).
///
/// Defaults describe a healthy object: members have MFA on and logged in
/// recently, keys never expire, IPs and volumes are detached, servers are
/// running with no volume and no IP. Relationship helpers (`attach_*`) update
/// both sides. Timestamps default to 2026 dates; [`set_created`] and
/// [`ts_z`]/[`ts_offset`] produce others.
pub mod wire {
    use chrono::{DateTime, Datelike, Timelike, Utc};
    use serde_json::{json, Map, Value};

    /// Default creation time of built objects (IAM/Account/Block format).
    pub const CREATED_Z: &str = "2026-06-02T14:21:35.118402Z";
    /// Default creation time of built objects (Instance format).
    pub const CREATED_OFFSET: &str = "2026-06-02T14:21:35.118402+00:00";
    /// Default last login of built users.
    pub const LAST_LOGIN_Z: &str = "2026-11-20T09:12:44.512309Z";

    /// IAM/Account/Block timestamp: microseconds and `Z`.
    pub fn ts_z(t: DateTime<Utc>) -> String {
        let mut s = timestamp_base(t);
        s.push('Z');
        s
    }

    /// Instance timestamp: microseconds and `+00:00`.
    pub fn ts_offset(t: DateTime<Utc>) -> String {
        let mut s = timestamp_base(t);
        s.push_str("+00:00");
        s
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff` (hand-written: chrono's `format` parses its
    /// pattern on every call, which shows when generating 100k objects).
    fn timestamp_base(t: DateTime<Utc>) -> String {
        fn push(s: &mut String, v: u32, width: u32) {
            for i in (0..width).rev() {
                let digit = (v / 10u32.pow(i)) % 10;
                s.push(char::from(b'0' + digit as u8));
            }
        }
        let mut s = String::with_capacity(32);
        let year = u32::try_from(t.year()).unwrap_or(0);
        push(&mut s, year, 4);
        s.push('-');
        push(&mut s, t.month(), 2);
        s.push('-');
        push(&mut s, t.day(), 2);
        s.push('T');
        push(&mut s, t.hour(), 2);
        s.push(':');
        push(&mut s, t.minute(), 2);
        s.push(':');
        push(&mut s, t.second(), 2);
        s.push('.');
        push(&mut s, (t.nanosecond() / 1000).min(999_999), 6);
        s
    }

    /// A UUID-shaped id derived deterministically from `seed` and `salt`.
    pub fn derive_id(seed: &str, salt: &str) -> String {
        let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
        for b in seed.bytes().chain([0u8]).chain(salt.bytes()) {
            h ^= u128::from(b);
            h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
        uuid_from_u128(h)
    }

    /// Formats 128 random bits as a version-4 UUID string.
    pub fn uuid_from_u128(bits: u128) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let b = (bits & !(0xf000u128 << 64) & !(0xc000u128 << 48))
            | (0x4000u128 << 64)
            | (0x8000u128 << 48);
        let mut s = String::with_capacity(36);
        for i in 0..32 {
            if matches!(i, 8 | 12 | 16 | 20) {
                s.push('-');
            }
            let nibble = (b >> (124 - 4 * i)) & 0xf;
            s.push(char::from(HEX[nibble as usize]));
        }
        s
    }

    /// Sets the creation and modification timestamps of any built object, in
    /// the format of its API (`created_at`/`updated_at` with `Z`, or
    /// `creation_date`/`modification_date` with `+00:00`).
    pub fn set_created(obj: &mut Value, created: DateTime<Utc>, updated: DateTime<Utc>) {
        let Some(map) = obj.as_object_mut() else {
            return;
        };
        if map.contains_key("creation_date") {
            map.insert("creation_date".into(), json!(ts_offset(created)));
            map.insert("modification_date".into(), json!(ts_offset(updated)));
        } else {
            map.insert("created_at".into(), json!(ts_z(created)));
            map.insert("updated_at".into(), json!(ts_z(updated)));
        }
    }

    fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
        v.get(key).and_then(Value::as_str).unwrap_or("")
    }

    fn hex_of(id: &str) -> String {
        id.chars().filter(char::is_ascii_hexdigit).collect()
    }

    fn capitalize(s: &str) -> String {
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }

    /// An Account project.
    pub fn project(id: &str, org: &str, name: &str) -> Value {
        json!({
            "id": id,
            "name": name,
            "organization_id": org,
            "created_at": CREATED_Z,
            "updated_at": CREATED_Z,
            "description": "",
            "qualification": {"architecture_type": "unknown_architecture_type"}
        })
    }

    /// An IAM member user, activated, MFA on, logged in recently, unlocked.
    /// First and last names come from an e-mail like `first.last@…`.
    pub fn user(id: &str, org: &str, email: &str) -> Value {
        let local = email.split('@').next().unwrap_or("");
        let mut parts = local.split('.');
        let first = capitalize(parts.next().unwrap_or(""));
        let last = capitalize(parts.next().unwrap_or(""));
        json!({
            "id": id,
            "email": email,
            "username": email,
            "first_name": first,
            "last_name": last,
            "phone_number": "",
            "locale": "en_US",
            "created_at": CREATED_Z,
            "updated_at": CREATED_Z,
            "organization_id": org,
            "deletable": true,
            "last_login_at": LAST_LOGIN_Z,
            "type": "member",
            "two_factor_enabled": true,
            "status": "activated",
            "mfa": true,
            "account_root_user_id": "",
            "tags": [],
            "locked": false
        })
    }

    /// The organization owner: type `owner`, not deletable, MFA on,
    /// `account_root_user_id` set.
    pub fn owner(id: &str, org: &str, email: &str) -> Value {
        let mut u = user(id, org, email);
        if let Some(m) = u.as_object_mut() {
            m.insert("type".into(), json!("owner"));
            m.insert("deletable".into(), json!(false));
            m.insert(
                "account_root_user_id".into(),
                json!(derive_id(id, "account-root-user")),
            );
        }
        u
    }

    /// A user who was invited and never accepted: `invitation_pending`, MFA
    /// off, never logged in.
    pub fn invited_user(id: &str, org: &str, email: &str) -> Value {
        let mut u = user(id, org, email);
        if let Some(m) = u.as_object_mut() {
            m.insert("status".into(), json!("invitation_pending"));
            m.insert("mfa".into(), json!(false));
            m.insert("two_factor_enabled".into(), json!(false));
            m.insert("last_login_at".into(), Value::Null);
        }
        u
    }

    /// An IAM group with embedded members.
    pub fn group(id: &str, org: &str, name: &str, user_ids: &[&str], app_ids: &[&str]) -> Value {
        json!({
            "id": id,
            "created_at": CREATED_Z,
            "updated_at": CREATED_Z,
            "organization_id": org,
            "name": name,
            "description": "",
            "user_ids": user_ids,
            "application_ids": app_ids,
            "tags": [],
            "editable": true,
            "deletable": true,
            "managed": false
        })
    }

    /// An IAM application.
    pub fn application(id: &str, org: &str, name: &str, nb_api_keys: u32) -> Value {
        json!({
            "id": id,
            "name": name,
            "description": "",
            "created_at": CREATED_Z,
            "updated_at": CREATED_Z,
            "organization_id": org,
            "editable": true,
            "deletable": true,
            "managed": false,
            "nb_api_keys": nb_api_keys,
            "tags": []
        })
    }

    fn api_key(access_key: &str, default_project: &str, bearer_key: &str, bearer: &str) -> Value {
        json!({
            "access_key": access_key,
            "secret_key": null,
            "description": "",
            "created_at": CREATED_Z,
            "updated_at": CREATED_Z,
            "expires_at": null,
            "default_project_id": default_project,
            "editable": true,
            "deletable": true,
            "managed": false,
            "creation_ip": "203.0.113.24",
            bearer_key: bearer
        })
    }

    /// An API key whose bearer is a user; never expires (`expires_at: null`).
    pub fn user_api_key(access_key: &str, user_id: &str, default_project: &str) -> Value {
        api_key(access_key, default_project, "user_id", user_id)
    }

    /// An API key whose bearer is an application; never expires.
    pub fn application_api_key(access_key: &str, app_id: &str, default_project: &str) -> Value {
        api_key(access_key, default_project, "application_id", app_id)
    }

    /// Sets `expires_at` of an API key (IAM keys use millisecond precision).
    pub fn set_expires(key: &mut Value, expires: Option<DateTime<Utc>>) {
        if let Some(m) = key.as_object_mut() {
            let v = match expires {
                Some(t) => json!(t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
                None => Value::Null,
            };
            m.insert("expires_at".into(), v);
        }
    }

    fn mac_of(id: &str) -> String {
        let h = hex_of(id);
        let h = if h.len() >= 6 {
            &h[h.len() - 6..]
        } else {
            "00abcd"
        };
        format!("de:00:00:{}:{}:{}", &h[0..2], &h[2..4], &h[4..6])
    }

    /// A running Instance server with an Ubuntu image (SBS-based), no volume,
    /// no public IP, no private NIC.
    pub fn server(id: &str, org: &str, project: &str, zone: &str, name: &str) -> Value {
        let image_org = "51b656e3-4865-41e8-adbc-0c45bdd780db";
        json!({
            "id": id,
            "name": name,
            "arch": "x86_64",
            "commercial_type": "PRO2-XS",
            "boot_type": "local",
            "organization": org,
            "project": project,
            "hostname": name,
            "image": {
                "id": derive_id(zone, "image-ubuntu-noble"),
                "name": "Ubuntu 24.04 Noble Numbat",
                "organization": image_org,
                "project": image_org,
                "root_volume": {
                    "volume_type": "sbs_snapshot",
                    "id": derive_id(zone, "image-ubuntu-noble-root"),
                    "size": 0,
                    "name": ""
                },
                "extra_volumes": {},
                "public": true,
                "arch": "x86_64",
                "creation_date": "2026-04-28T09:30:11.402771+00:00",
                "modification_date": "2026-04-28T09:30:11.402771+00:00",
                "default_bootscript": null,
                "from_server": "",
                "state": "available",
                "tags": [],
                "zone": zone
            },
            "volumes": {},
            "tags": [],
            "state": "running",
            "protected": false,
            "state_detail": "booted",
            "public_ip": null,
            "public_ips": [],
            "mac_address": mac_of(id),
            "routed_ip_enabled": true,
            "ipv6": null,
            "extra_networks": [],
            "dynamic_ip_required": false,
            "enable_ipv6": false,
            "private_ip": null,
            "creation_date": CREATED_OFFSET,
            "modification_date": CREATED_OFFSET,
            "bootscript": null,
            "security_group": {
                "id": derive_id(&format!("{project}/{zone}"), "default-security-group"),
                "name": "Default security group"
            },
            "location": {
                "zone_id": zone,
                "platform_id": "14",
                "cluster_id": "38",
                "hypervisor_id": "1702",
                "node_id": "5"
            },
            "maintenances": [],
            "allowed_actions": ["poweroff", "terminate", "reboot", "stop_in_place", "backup"],
            "placement_group": null,
            "private_nics": [],
            "zone": zone,
            "filesystems": [],
            "end_of_service": false,
            "dns": format!("{id}.pub.instances.scw.cloud")
        })
    }

    /// Sets a server's state and the fields that go with it: `stopped` and
    /// `stopped in place` have no `location` and only power-on actions.
    pub fn set_server_state(server: &mut Value, state: &str) {
        let Some(m) = server.as_object_mut() else {
            return;
        };
        m.insert("state".into(), json!(state));
        match state {
            "running" => {
                m.insert("state_detail".into(), json!("booted"));
            }
            "stopped" => {
                m.insert("state_detail".into(), json!(""));
                m.insert("location".into(), Value::Null);
                m.insert("allowed_actions".into(), json!(["poweron", "backup"]));
            }
            "stopped in place" => {
                m.insert("state_detail".into(), json!("stopped in place"));
                m.insert(
                    "allowed_actions".into(),
                    json!(["poweron", "poweroff", "backup"]),
                );
            }
            _ => {}
        }
    }

    /// Adds a private NIC on a Private Network to a server.
    pub fn add_private_nic(server: &mut Value, private_network_id: &str) {
        let sid = str_field(server, "id").to_owned();
        let zone = str_field(server, "zone").to_owned();
        let created = str_field(server, "creation_date").to_owned();
        let nic_id = derive_id(&sid, private_network_id);
        let nic = json!({
            "id": nic_id,
            "private_network_id": private_network_id,
            "server_id": sid,
            "mac_address": mac_of(&derive_id(&nic_id, "mac")).replacen("de:", "02:", 1),
            "state": "available",
            "creation_date": created,
            "modification_date": created,
            "zone": zone,
            "tags": [],
            "ipam_ip_ids": [derive_id(&nic_id, "ipam-v4"), derive_id(&nic_id, "ipam-v6")]
        });
        if let Some(list) = server.get_mut("private_nics").and_then(Value::as_array_mut) {
            list.push(nic);
        }
    }

    /// A detached `routed_ipv4` flexible IP.
    pub fn ip(id: &str, org: &str, project: &str, zone: &str, address: &str) -> Value {
        json!({
            "id": id,
            "address": address,
            "prefix": null,
            "reverse": null,
            "server": null,
            "organization": org,
            "project": project,
            "zone": zone,
            "type": "routed_ipv4",
            "state": "detached",
            "tags": [],
            "ipam_id": derive_id(id, "ipam")
        })
    }

    /// A detached `routed_ipv6` flexible IP (a prefix such as
    /// `2001:bc8:710:3a1c::/64`; `address` is null).
    pub fn ipv6(id: &str, org: &str, project: &str, zone: &str, prefix: &str) -> Value {
        let mut v = ip(id, org, project, zone, "");
        if let Some(m) = v.as_object_mut() {
            m.insert("address".into(), Value::Null);
            m.insert("prefix".into(), json!(prefix));
            m.insert("type".into(), json!("routed_ipv6"));
            m.insert("ipam_id".into(), json!(id));
        }
        v
    }

    /// Attaches a flexible IP to a server: the IP gets `server` and state
    /// `attached`, the server lists it in `public_ips` (and `public_ip` when
    /// it is the first).
    pub fn attach_ip(server: &mut Value, ip: &mut Value) {
        let sid = str_field(server, "id").to_owned();
        let sname = str_field(server, "name").to_owned();
        if let Some(m) = ip.as_object_mut() {
            m.insert("server".into(), json!({"id": sid, "name": sname}));
            m.insert("state".into(), json!("attached"));
        }
        let v6 = str_field(ip, "type") == "routed_ipv6";
        let server_ip = if v6 {
            let prefix = str_field(ip, "prefix");
            let base = prefix.split("::").next().unwrap_or(prefix);
            let mac = hex_of(&sid);
            let tail = if mac.len() >= 4 {
                &mac[mac.len() - 4..]
            } else {
                "9b17"
            };
            json!({
                "id": str_field(ip, "id"),
                "address": format!("{base}:dc00:ff:fe42:{tail}"),
                "dynamic": false,
                "gateway": format!("fe80::dc00:ff:fe42:{tail}"),
                "netmask": "64",
                "family": "inet6",
                "provisioning_mode": "slaac",
                "tags": [],
                "state": "attached",
                "ipam_id": str_field(ip, "ipam_id")
            })
        } else {
            json!({
                "id": str_field(ip, "id"),
                "address": str_field(ip, "address"),
                "dynamic": false,
                "gateway": "62.210.0.1",
                "netmask": "32",
                "family": "inet",
                "provisioning_mode": "dhcp",
                "tags": [],
                "state": "attached",
                "ipam_id": str_field(ip, "ipam_id")
            })
        };
        let Some(m) = server.as_object_mut() else {
            return;
        };
        if m.get("public_ip").is_none_or(Value::is_null) {
            m.insert("public_ip".into(), server_ip.clone());
        }
        match m.get_mut("public_ips").and_then(Value::as_array_mut) {
            Some(list) => list.push(server_ip),
            None => {
                m.insert("public_ips".into(), json!([server_ip]));
            }
        }
    }

    /// An unattached local (`l_ssd`) Instance volume. `size` in bytes.
    pub fn volume(id: &str, org: &str, project: &str, zone: &str, name: &str, size: u64) -> Value {
        json!({
            "id": id,
            "name": name,
            "volume_type": "l_ssd",
            "export_uri": null,
            "organization": org,
            "project": project,
            "server": null,
            "size": size,
            "state": "available",
            "creation_date": CREATED_OFFSET,
            "modification_date": CREATED_OFFSET,
            "tags": [],
            "zone": zone
        })
    }

    fn insert_volume_entry(server: &mut Value, index: u32, entry: Value) {
        let Some(m) = server.as_object_mut() else {
            return;
        };
        let vols = m.entry("volumes").or_insert_with(|| json!({}));
        if !vols.is_object() {
            *vols = json!({});
        }
        if let Some(vm) = vols.as_object_mut() {
            vm.insert(index.to_string(), entry);
        }
    }

    /// Mounts a local volume on a server at position `index` (`0` = root):
    /// the volume gets `server`, the server's `volumes` map gets the full
    /// volume plus `boot`.
    pub fn attach_local_volume(server: &mut Value, index: u32, volume: &mut Value) {
        let sid = str_field(server, "id").to_owned();
        let sname = str_field(server, "name").to_owned();
        if let Some(m) = volume.as_object_mut() {
            m.insert("server".into(), json!({"id": sid, "name": sname}));
        }
        let mut entry = Map::new();
        entry.insert("boot".into(), json!(false));
        if let Some(m) = volume.as_object() {
            for (k, v) in m {
                entry.insert(k.clone(), v.clone());
            }
        }
        insert_volume_entry(server, index, Value::Object(entry));
    }

    /// Mounts an SBS (Block) volume on a server at position `index`: the
    /// server's `volumes` map gets only `{boot, volume_type: "sbs_volume", id,
    /// state, zone}`, the Block volume gets an `instance_server` reference and
    /// status `in_use`.
    pub fn attach_sbs_volume(server: &mut Value, index: u32, block_volume: &mut Value) {
        let sid = str_field(server, "id").to_owned();
        let vid = str_field(block_volume, "id").to_owned();
        let zone = str_field(block_volume, "zone").to_owned();
        let created = str_field(block_volume, "created_at").to_owned();
        insert_volume_entry(
            server,
            index,
            json!({"boot": false, "volume_type": "sbs_volume", "id": vid, "state": "available", "zone": zone}),
        );
        let reference = json!({
            "id": derive_id(&vid, &sid),
            "product_resource_type": "instance_server",
            "product_resource_id": sid,
            "created_at": created,
            "type": "exclusive",
            "status": "attached"
        });
        if let Some(m) = block_volume.as_object_mut() {
            m.insert("status".into(), json!("in_use"));
            m.insert("last_detached_at".into(), Value::Null);
            match m.get_mut("references").and_then(Value::as_array_mut) {
                Some(list) => list.push(reference),
                None => {
                    m.insert("references".into(), json!([reference]));
                }
            }
        }
    }

    /// An Instance snapshot. `base_volume` is `(id, name)`, or `None` for an
    /// imported snapshot (`base_volume: null`). Size 20 GB, state available.
    pub fn snapshot(
        id: &str,
        org: &str,
        project: &str,
        zone: &str,
        name: &str,
        base_volume: Option<(&str, &str)>,
    ) -> Value {
        let base = match base_volume {
            Some((vid, vname)) => json!({"id": vid, "name": vname}),
            None => Value::Null,
        };
        json!({
            "id": id,
            "name": name,
            "volume_type": "l_ssd",
            "creation_date": CREATED_OFFSET,
            "modification_date": CREATED_OFFSET,
            "organization": org,
            "project": project,
            "size": 20_000_000_000u64,
            "state": "available",
            "base_volume": base,
            "tags": [],
            "zone": zone,
            "error_details": null
        })
    }

    /// An Instance snapshot of an existing Instance volume (same owner, zone,
    /// size and type).
    pub fn snapshot_of(id: &str, name: &str, volume: &Value) -> Value {
        let mut s = snapshot(
            id,
            str_field(volume, "organization"),
            str_field(volume, "project"),
            str_field(volume, "zone"),
            name,
            Some((str_field(volume, "id"), str_field(volume, "name"))),
        );
        if let Some(m) = s.as_object_mut() {
            if let Some(size) = volume.get("size") {
                m.insert("size".into(), size.clone());
            }
            if let Some(t) = volume.get("volume_type") {
                m.insert("volume_type".into(), t.clone());
            }
        }
        s
    }

    /// An unattached Block (SBS) volume of type `sbs_5k`. `size` in bytes.
    pub fn block_volume(id: &str, project: &str, zone: &str, name: &str, size: u64) -> Value {
        json!({
            "id": id,
            "name": name,
            "type": "sbs_5k",
            "size": size,
            "project_id": project,
            "created_at": CREATED_Z,
            "updated_at": CREATED_Z,
            "references": [],
            "parent_snapshot_id": null,
            "status": "available",
            "tags": [],
            "specs": {"perf_iops": 5000, "class": "sbs"},
            "last_detached_at": null,
            "zone": zone
        })
    }

    /// A Block snapshot. `parent_volume` is `(id, name)` (type `sbs_5k`,
    /// status `available`), or `None` for `parent_volume: null`.
    pub fn block_snapshot(
        id: &str,
        project: &str,
        zone: &str,
        name: &str,
        parent_volume: Option<(&str, &str)>,
    ) -> Value {
        let parent = match parent_volume {
            Some((vid, vname)) => {
                json!({"id": vid, "name": vname, "type": "sbs_5k", "status": "available"})
            }
            None => Value::Null,
        };
        json!({
            "id": id,
            "name": name,
            "parent_volume": parent,
            "size": 20_000_000_000u64,
            "project_id": project,
            "created_at": CREATED_Z,
            "updated_at": CREATED_Z,
            "references": [],
            "status": "available",
            "tags": [],
            "zone": zone,
            "class": "sbs"
        })
    }

    /// A Block snapshot of an existing Block volume (same project, zone and
    /// size; `parent_volume` filled from it).
    pub fn block_snapshot_of(id: &str, name: &str, volume: &Value) -> Value {
        let mut s = block_snapshot(
            id,
            str_field(volume, "project_id"),
            str_field(volume, "zone"),
            name,
            Some((str_field(volume, "id"), str_field(volume, "name"))),
        );
        if let Some(m) = s.as_object_mut() {
            if let Some(size) = volume.get("size") {
                m.insert("size".into(), size.clone());
            }
            m.insert(
                "parent_volume".into(),
                json!({
                    "id": str_field(volume, "id"),
                    "name": str_field(volume, "name"),
                    "type": str_field(volume, "type"),
                    "status": str_field(volume, "status"),
                }),
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::wire;
    use super::*;
    use serde_json::json;

    #[test]
    fn builders_link_both_sides() {
        let org = "0b1e4c2a-5d3f-4a6b-9c7d-8e9f0a1b2c3d";
        let prj = "6f2d8a41-3b7c-4e95-a1d0-2c4b6e8f0a13";
        let mut srv = wire::server(
            "7a9c1e3a-5b6d-4f8a-a0c2-4e6a8c0e2a4b",
            org,
            prj,
            "fr-par-1",
            "web-01",
        );
        let mut ip = wire::ip(
            "3a5c7e9a-1b2d-4f4a-86c8-0e2a4c6e8a0b",
            org,
            prj,
            "fr-par-1",
            "51.15.201.34",
        );
        let mut v6 = wire::ipv6(
            "5c7e9a1c-3d4f-4b6c-a8ea-2a4c6e8a0c2d",
            org,
            prj,
            "fr-par-1",
            "2001:bc8:710:3a1c::/64",
        );
        let mut vol = wire::volume(
            "2f4b6d8f-0a1c-4e3f-b5b7-9d1f3b5d7f9a",
            org,
            prj,
            "fr-par-1",
            "scratch",
            50_000_000_000,
        );
        let mut bv = wire::block_volume(
            "1e3a5c7e-9f0b-4d2e-a4a6-8c0e2a4c6e8f",
            prj,
            "fr-par-1",
            "root",
            20_000_000_000,
        );
        wire::attach_sbs_volume(&mut srv, 0, &mut bv);
        wire::attach_local_volume(&mut srv, 1, &mut vol);
        wire::attach_ip(&mut srv, &mut ip);
        wire::attach_ip(&mut srv, &mut v6);
        assert_eq!(srv["volumes"]["0"].as_object().map(|m| m.len()), Some(5));
        assert_eq!(srv["volumes"]["0"]["volume_type"], json!("sbs_volume"));
        assert_eq!(srv["volumes"]["1"]["size"], json!(50_000_000_000u64));
        assert_eq!(srv["volumes"]["1"]["boot"], json!(false));
        assert_eq!(vol["server"]["name"], json!("web-01"));
        assert_eq!(bv["status"], json!("in_use"));
        assert_eq!(bv["references"][0]["product_resource_id"], srv["id"]);
        assert_eq!(ip["state"], json!("attached"));
        assert_eq!(srv["public_ips"].as_array().map(Vec::len), Some(2));
        assert_eq!(srv["public_ip"]["address"], json!("51.15.201.34"));
        assert_eq!(srv["public_ips"][1]["family"], json!("inet6"));
        let snap = wire::snapshot_of("1c3e5a7c-9d0f-4b2c-8e4a-8a0c2e4a6c8d", "daily", &vol);
        assert_eq!(snap["base_volume"]["id"], vol["id"]);
        let bs = wire::block_snapshot_of("4c6e8a0c-2d3f-4b5c-a7e9-1a3c5e7a9c1d", "b", &bv);
        assert_eq!(bs["parent_volume"]["status"], json!("in_use"));
        let mut key = wire::user_api_key("SCWK7M2Q9X4ZP1RB8TDV", "u", prj);
        assert_eq!(key["expires_at"], Value::Null);
        let t = chrono::DateTime::parse_from_rfc3339("2027-04-02T12:07:19Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok();
        wire::set_expires(&mut key, t);
        assert_eq!(key["expires_at"], json!("2027-04-02T12:07:19.000Z"));
        let t = chrono::DateTime::parse_from_rfc3339("2026-02-24T11:29:06.723007Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        assert_eq!(wire::ts_z(t), "2026-02-24T11:29:06.723007Z");
        assert_eq!(wire::ts_offset(t), "2026-02-24T11:29:06.723007+00:00");
        assert_eq!(
            wire::uuid_from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            "01234567-89ab-4def-8123-456789abcdef"
        );
        let id = wire::derive_id("a", "b");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }

    #[test]
    fn world_round_trips_through_json() {
        let mut org = OrgWorld::new("o", "Org");
        org.zone_mut("fr-par-1")
            .ips
            .push(wire::ip("i", "o", "p", "fr-par-1", "1.2.3.4"));
        let w = World::single(org, Credential::new("SCWAAAAAAAAAAAAAAAAA", "s", "o"));
        let text = serde_json::to_string(&w).unwrap_or_default();
        let back: World = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, w);
        assert_eq!(back.object_count(), 1);
        let minimal: World = serde_json::from_str(r#"{"organizations":[{"id":"o","name":"n"}]}"#)
            .unwrap_or_default();
        assert_eq!(minimal.organizations.len(), 1);
    }
}
