//! A small known organization (and a second one that must not leak in), described once,
//! with the rows and edges a correct sync must produce derived from the description.

use inv::fakeapi::{wire, Credential, OrgWorld, World};

pub const ORG: &str = "0b1e4c2a-5d3f-4a6b-9c7d-8e9f0a1b2c3d";
pub const OTHER_ORG: &str = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
pub const ACCESS_KEY: &str = "SCWK7M2Q9X4ZP1RB8TDV";
pub const SECRET: &str = "5e0f4a3b-8c2d-4e1f-9a7b-6c5d4e3f2a1b";
pub const OTHER_SECRET: &str = "11111111-2222-4333-8444-555555555555";

pub const PRJ_DEFAULT: &str = "0b1e4c2a-5d3f-4a6b-9c7d-8e9f0a1b2c3d";
pub const PRJ_PROD: &str = "6f2d8a41-3b7c-4e95-a1d0-2c4b6e8f0a13";
pub const OWNER: &str = "a3c5e7f9-1b2d-4f6a-8c0e-2a4c6e8f0b1d";
pub const BOB: &str = "b7d9f1a3-5c6e-4a8b-9d0f-4c6e8a0b2d4f";
pub const GHOST_USER: &str = "deadbeef-0000-4000-8000-000000000001";
pub const GROUP: &str = "c1e3a5b7-9d0f-4b2c-8e4a-6c8e0a2b4d6f";
pub const APP: &str = "e2f4a6c8-0b1d-4e3f-a5b7-9d1f3a5c7e9b";
pub const KEY_OWNER: &str = ACCESS_KEY;
pub const KEY_APP: &str = "SCWF3H8N1W6YJ5CA2EQG";
pub const KEY_ORPHAN: &str = "SCW0RPHAN00000000000";
pub const SERVER: &str = "7a9c1e3a-5b6d-4f8a-a0c2-4e6a8c0e2a4b";
pub const SERVER_AMS: &str = "8b0d2f4b-6c7e-4a9b-b1d3-5f7b9d1f3b5c";
pub const LOCAL_VOLUME: &str = "2f4b6d8f-0a1c-4e3f-b5b7-9d1f3b5d7f9a";
pub const SBS_VOLUME: &str = "1e3a5c7e-9f0b-4d2e-a4a6-8c0e2a4c6e8f";
pub const IP_ATTACHED: &str = "3a5c7e9a-1b2d-4f4a-86c8-0e2a4c6e8a0b";
pub const IP_FREE: &str = "6d8f0b2d-5e6a-4c8d-b0fc-4c6e8a0c2e4f";
pub const SNAPSHOT: &str = "1c3e5a7c-9d0f-4b2c-8e4a-8a0c2e4a6c8d";
pub const BLOCK_SNAPSHOT: &str = "4c6e8a0c-2d3f-4b5c-a7e9-1a3c5e7a9c1d";
pub const OTHER_SERVER: &str = "00000000-1111-4222-8333-444444444444";
pub const OTHER_USER: &str = "00000000-1111-4222-8333-555555555555";

/// The known organization plus a second organization with its own key.
pub fn known() -> World {
    let mut org = OrgWorld::new(ORG, "Acme");
    org.projects = vec![
        wire::project(PRJ_DEFAULT, ORG, "default"),
        wire::project(PRJ_PROD, ORG, "production"),
    ];
    let mut bob = wire::user(BOB, ORG, "bob.martin@example.com");
    bob["mfa"] = false.into();
    bob["locked"] = true.into();
    org.users = vec![wire::owner(OWNER, ORG, "marie.dupont@example.com"), bob];
    org.applications = vec![wire::application(APP, ORG, "inventory", 1)];
    org.groups = vec![wire::group(GROUP, ORG, "ops", &[OWNER, BOB], &[APP])];
    let mut orphan = wire::user_api_key(KEY_ORPHAN, GHOST_USER, PRJ_DEFAULT);
    orphan["expires_at"] = "2025-01-01T00:00:00Z".into();
    org.api_keys = vec![
        wire::user_api_key(KEY_OWNER, OWNER, PRJ_DEFAULT),
        wire::application_api_key(KEY_APP, APP, PRJ_PROD),
        orphan,
    ];

    let zone = org.zone_mut("fr-par-1");
    let mut server = wire::server(SERVER, ORG, PRJ_PROD, "fr-par-1", "web-01");
    let mut local = wire::volume(
        LOCAL_VOLUME,
        ORG,
        PRJ_PROD,
        "fr-par-1",
        "web-01-data",
        50_000_000_000,
    );
    let mut sbs = wire::block_volume(
        SBS_VOLUME,
        PRJ_PROD,
        "fr-par-1",
        "web-01-root",
        20_000_000_000,
    );
    let mut ip = wire::ip(IP_ATTACHED, ORG, PRJ_PROD, "fr-par-1", "51.15.201.34");
    wire::attach_sbs_volume(&mut server, 0, &mut sbs);
    wire::attach_local_volume(&mut server, 1, &mut local);
    wire::attach_ip(&mut server, &mut ip);
    zone.snapshots = vec![wire::snapshot_of(SNAPSHOT, "web-01-data-daily", &local)];
    zone.block_snapshots = vec![wire::block_snapshot_of(
        BLOCK_SNAPSHOT,
        "web-01-root-before",
        &sbs,
    )];
    zone.servers = vec![server];
    zone.volumes = vec![local];
    zone.block_volumes = vec![sbs];
    zone.ips = vec![
        ip,
        wire::ip(IP_FREE, ORG, PRJ_DEFAULT, "fr-par-1", "163.172.44.90"),
    ];

    let mut stopped = wire::server(SERVER_AMS, ORG, PRJ_DEFAULT, "nl-ams-2", "batch-01");
    wire::set_server_state(&mut stopped, "stopped");
    org.zone_mut("nl-ams-2").servers = vec![stopped];

    let mut other = OrgWorld::new(OTHER_ORG, "Someone else");
    other.projects = vec![wire::project(OTHER_ORG, OTHER_ORG, "default")];
    other.users = vec![wire::owner(OTHER_USER, OTHER_ORG, "eve@example.net")];
    other.zone_mut("fr-par-1").servers = vec![wire::server(
        OTHER_SERVER,
        OTHER_ORG,
        OTHER_ORG,
        "fr-par-1",
        "not-ours",
    )];

    World {
        organizations: vec![org, other],
        credentials: vec![
            Credential::new(ACCESS_KEY, SECRET, ORG),
            Credential::new("SCWOTHERKEY000000000", OTHER_SECRET, OTHER_ORG),
        ],
    }
}

/// The edges the known organization must show, written out from the description above.
pub fn known_edges() -> Vec<(String, String, String, String, String)> {
    let e = |a: &str, b: &str, r: &str, c: &str, d: &str| {
        (
            a.to_string(),
            b.to_string(),
            r.to_string(),
            c.to_string(),
            d.to_string(),
        )
    };
    let mut edges = vec![
        e(
            "ScalewayOrganization",
            ORG,
            "RESOURCE",
            "ScalewayProject",
            PRJ_DEFAULT,
        ),
        e(
            "ScalewayOrganization",
            ORG,
            "RESOURCE",
            "ScalewayProject",
            PRJ_PROD,
        ),
        e(
            "ScalewayOrganization",
            ORG,
            "RESOURCE",
            "ScalewayUser",
            OWNER,
        ),
        e("ScalewayOrganization", ORG, "RESOURCE", "ScalewayUser", BOB),
        e(
            "ScalewayOrganization",
            ORG,
            "RESOURCE",
            "ScalewayApplication",
            APP,
        ),
        e(
            "ScalewayOrganization",
            ORG,
            "RESOURCE",
            "ScalewayGroup",
            GROUP,
        ),
        e(
            "ScalewayOrganization",
            ORG,
            "RESOURCE",
            "ScalewayApiKey",
            KEY_OWNER,
        ),
        e(
            "ScalewayOrganization",
            ORG,
            "RESOURCE",
            "ScalewayApiKey",
            KEY_APP,
        ),
        e(
            "ScalewayOrganization",
            ORG,
            "RESOURCE",
            "ScalewayApiKey",
            KEY_ORPHAN,
        ),
        e(
            "ScalewayProject",
            PRJ_PROD,
            "RESOURCE",
            "ScalewayInstance",
            SERVER,
        ),
        e(
            "ScalewayProject",
            PRJ_DEFAULT,
            "RESOURCE",
            "ScalewayInstance",
            SERVER_AMS,
        ),
        e(
            "ScalewayProject",
            PRJ_PROD,
            "RESOURCE",
            "ScalewayFlexibleIp",
            IP_ATTACHED,
        ),
        e(
            "ScalewayProject",
            PRJ_DEFAULT,
            "RESOURCE",
            "ScalewayFlexibleIp",
            IP_FREE,
        ),
        e(
            "ScalewayProject",
            PRJ_PROD,
            "RESOURCE",
            "ScalewayVolume",
            LOCAL_VOLUME,
        ),
        e(
            "ScalewayProject",
            PRJ_PROD,
            "RESOURCE",
            "ScalewayVolume",
            SBS_VOLUME,
        ),
        e(
            "ScalewayProject",
            PRJ_PROD,
            "RESOURCE",
            "ScalewayVolumeSnapshot",
            SNAPSHOT,
        ),
        e(
            "ScalewayProject",
            PRJ_PROD,
            "RESOURCE",
            "ScalewayVolumeSnapshot",
            BLOCK_SNAPSHOT,
        ),
        e(
            "ScalewayInstance",
            SERVER,
            "MOUNTS",
            "ScalewayVolume",
            LOCAL_VOLUME,
        ),
        e(
            "ScalewayInstance",
            SERVER,
            "MOUNTS",
            "ScalewayVolume",
            SBS_VOLUME,
        ),
        e(
            "ScalewayFlexibleIp",
            IP_ATTACHED,
            "IDENTIFIES",
            "ScalewayInstance",
            SERVER,
        ),
        e(
            "ScalewayVolume",
            LOCAL_VOLUME,
            "HAS",
            "ScalewayVolumeSnapshot",
            SNAPSHOT,
        ),
        e(
            "ScalewayVolume",
            SBS_VOLUME,
            "HAS",
            "ScalewayVolumeSnapshot",
            BLOCK_SNAPSHOT,
        ),
        e("ScalewayUser", OWNER, "MEMBER_OF", "ScalewayGroup", GROUP),
        e("ScalewayUser", BOB, "MEMBER_OF", "ScalewayGroup", GROUP),
        e(
            "ScalewayApplication",
            APP,
            "MEMBER_OF",
            "ScalewayGroup",
            GROUP,
        ),
        e("ScalewayUser", OWNER, "HAS", "ScalewayApiKey", KEY_OWNER),
        e("ScalewayApplication", APP, "HAS", "ScalewayApiKey", KEY_APP),
    ];
    edges.sort();
    edges
}
