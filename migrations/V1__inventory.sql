-- The inventory schema: one table per documented node type, one join table per
-- documented relationship, the `edges` view, the sync log and the schema's own
-- documentation. References are plain columns, not enforced foreign keys: the
-- API names objects that are outside the inventory (deleted volumes, keys of
-- users of another organization), and those references are kept and reported.

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT,
    lastupdated TEXT NOT NULL,
    raw         TEXT
);

CREATE TABLE projects (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT,
    created_at      TEXT,
    updated_at      TEXT,
    description     TEXT,
    organization_id TEXT NOT NULL,
    lastupdated     TEXT NOT NULL,
    raw             TEXT NOT NULL
);
CREATE INDEX projects_organization_id ON projects (organization_id);

CREATE TABLE users (
    id                   TEXT PRIMARY KEY NOT NULL,
    email                TEXT,
    username             TEXT,
    first_name           TEXT,
    last_name            TEXT,
    phone_number         TEXT,
    locale               TEXT,
    created_at           TEXT,
    updated_at           TEXT,
    deletable            INTEGER,
    last_login_at        TEXT,
    type                 TEXT,
    status               TEXT,
    mfa                  INTEGER,
    account_root_user_id TEXT,
    tags                 TEXT,
    locked               INTEGER,
    organization_id      TEXT NOT NULL,
    lastupdated          TEXT NOT NULL,
    raw                  TEXT NOT NULL
);
CREATE INDEX users_organization_id ON users (organization_id);
CREATE INDEX users_mfa ON users (mfa);
CREATE INDEX users_locked ON users (locked);
CREATE INDEX users_status ON users (status);
CREATE INDEX users_type ON users (type);
CREATE INDEX users_last_login_at ON users (last_login_at);

CREATE TABLE groups (
    id              TEXT PRIMARY KEY NOT NULL,
    created_at      TEXT,
    updated_at      TEXT,
    name            TEXT,
    description     TEXT,
    tags            TEXT,
    editable        INTEGER,
    deletable       INTEGER,
    managed         INTEGER,
    organization_id TEXT NOT NULL,
    lastupdated     TEXT NOT NULL,
    raw             TEXT NOT NULL
);
CREATE INDEX groups_organization_id ON groups (organization_id);

CREATE TABLE applications (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT,
    description     TEXT,
    created_at      TEXT,
    updated_at      TEXT,
    editable        INTEGER,
    deletable       INTEGER,
    managed         INTEGER,
    tags            TEXT,
    organization_id TEXT NOT NULL,
    lastupdated     TEXT NOT NULL,
    raw             TEXT NOT NULL
);
CREATE INDEX applications_organization_id ON applications (organization_id);

CREATE TABLE api_keys (
    id                 TEXT PRIMARY KEY NOT NULL,
    description        TEXT,
    created_at         TEXT,
    updated_at         TEXT,
    expires_at         TEXT,
    default_project_id TEXT,
    editable           INTEGER,
    deletable          INTEGER,
    managed            INTEGER,
    creation_ip        TEXT,
    user_id            TEXT,
    application_id     TEXT,
    organization_id    TEXT NOT NULL,
    lastupdated        TEXT NOT NULL,
    raw                TEXT NOT NULL
);
CREATE INDEX api_keys_organization_id ON api_keys (organization_id);
CREATE INDEX api_keys_user_id ON api_keys (user_id);
CREATE INDEX api_keys_application_id ON api_keys (application_id);
CREATE INDEX api_keys_default_project_id ON api_keys (default_project_id);
CREATE INDEX api_keys_expires_at ON api_keys (expires_at);
CREATE INDEX api_keys_created_at ON api_keys (created_at);

CREATE TABLE instances (
    id                     TEXT PRIMARY KEY NOT NULL,
    name                   TEXT,
    tags                   TEXT,
    commercial_type        TEXT,
    creation_date          TEXT,
    dynamic_ip_required    INTEGER,
    routed_ip_enabled      INTEGER,
    enable_ipv6            INTEGER,
    hostname               TEXT,
    private_ip             TEXT,
    mac_address            TEXT,
    modification_date      TEXT,
    state                  TEXT,
    location_cluster_id    TEXT,
    location_hypervisor_id TEXT,
    location_node_id       TEXT,
    location_platform_id   TEXT,
    ipv6_address           TEXT,
    ipv6_gateway           TEXT,
    ipv6_netmask           TEXT,
    boot_type              TEXT,
    state_detail           TEXT,
    arch                   TEXT,
    private_nics           TEXT,
    zone                   TEXT NOT NULL,
    end_of_service         INTEGER,
    project_id             TEXT,
    organization_id        TEXT NOT NULL,
    lastupdated            TEXT NOT NULL,
    raw                    TEXT NOT NULL
);
CREATE INDEX instances_organization_zone ON instances (organization_id, zone);
CREATE INDEX instances_project_id ON instances (project_id);
CREATE INDEX instances_state ON instances (state);

CREATE TABLE flexible_ips (
    id              TEXT PRIMARY KEY NOT NULL,
    address         TEXT,
    reverse         TEXT,
    tags            TEXT,
    type            TEXT,
    state           TEXT,
    prefix          TEXT,
    ipam_id         TEXT,
    zone            TEXT NOT NULL,
    server_id       TEXT,
    project_id      TEXT,
    organization_id TEXT NOT NULL,
    lastupdated     TEXT NOT NULL,
    raw             TEXT NOT NULL
);
CREATE INDEX flexible_ips_organization_zone ON flexible_ips (organization_id, zone);
CREATE INDEX flexible_ips_project_id ON flexible_ips (project_id);
CREATE INDEX flexible_ips_server_id ON flexible_ips (server_id);

CREATE TABLE volumes (
    id                TEXT PRIMARY KEY NOT NULL,
    name              TEXT,
    export_uri        TEXT,
    size              INTEGER,
    volume_type       TEXT,
    creation_date     TEXT,
    modification_date TEXT,
    tags              TEXT,
    state             TEXT,
    zone              TEXT NOT NULL,
    api               TEXT NOT NULL CHECK (api IN ('instance', 'block')),
    server_id         TEXT,
    project_id        TEXT,
    organization_id   TEXT NOT NULL,
    lastupdated       TEXT NOT NULL,
    raw               TEXT NOT NULL
);
CREATE INDEX volumes_organization_zone ON volumes (organization_id, zone, api);
CREATE INDEX volumes_project_id ON volumes (project_id);
CREATE INDEX volumes_server_id ON volumes (server_id);

CREATE TABLE volume_snapshots (
    id                TEXT PRIMARY KEY NOT NULL,
    name              TEXT,
    tags              TEXT,
    volume_type       TEXT,
    size              INTEGER,
    state             TEXT,
    creation_date     TEXT,
    modification_date TEXT,
    error_reason      TEXT,
    zone              TEXT NOT NULL,
    api               TEXT NOT NULL CHECK (api IN ('instance', 'block')),
    base_volume_id    TEXT,
    project_id        TEXT,
    organization_id   TEXT NOT NULL,
    lastupdated       TEXT NOT NULL,
    raw               TEXT NOT NULL
);
CREATE INDEX volume_snapshots_organization_zone ON volume_snapshots (organization_id, zone, api);
CREATE INDEX volume_snapshots_project_id ON volume_snapshots (project_id);
CREATE INDEX volume_snapshots_base_volume_id ON volume_snapshots (base_volume_id);
CREATE INDEX volume_snapshots_creation_date ON volume_snapshots (creation_date);

-- Join tables. Each row is written by one "parent" object (named first in the
-- comment) and replaced whenever that parent is stored again.

-- parent: groups (from user_ids)
CREATE TABLE user_member_of_group (
    user_id  TEXT NOT NULL,
    group_id TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX user_member_of_group_user_id ON user_member_of_group (user_id);

-- parent: groups (from application_ids)
CREATE TABLE application_member_of_group (
    application_id TEXT NOT NULL,
    group_id       TEXT NOT NULL,
    PRIMARY KEY (group_id, application_id)
) WITHOUT ROWID;
CREATE INDEX application_member_of_group_application_id ON application_member_of_group (application_id);

-- parent: api_keys (from user_id)
CREATE TABLE user_has_api_key (
    user_id    TEXT NOT NULL,
    api_key_id TEXT NOT NULL,
    PRIMARY KEY (api_key_id, user_id)
) WITHOUT ROWID;
CREATE INDEX user_has_api_key_user_id ON user_has_api_key (user_id);

-- parent: api_keys (from application_id)
CREATE TABLE application_has_api_key (
    application_id TEXT NOT NULL,
    api_key_id     TEXT NOT NULL,
    PRIMARY KEY (api_key_id, application_id)
) WITHOUT ROWID;
CREATE INDEX application_has_api_key_application_id ON application_has_api_key (application_id);

-- parent: instances (from every entry of the server's `volumes` map)
CREATE TABLE instance_mounts_volume (
    instance_id TEXT NOT NULL,
    volume_id   TEXT NOT NULL,
    position    TEXT NOT NULL,
    boot        INTEGER,
    volume_type TEXT,
    PRIMARY KEY (instance_id, position)
) WITHOUT ROWID;
CREATE INDEX instance_mounts_volume_volume_id ON instance_mounts_volume (volume_id);

-- parents: instances (from `public_ips`, seen_from = 'instance') and
-- flexible_ips (from `server`, seen_from = 'flexible_ip')
CREATE TABLE flexible_ip_identifies_instance (
    flexible_ip_id TEXT NOT NULL,
    instance_id    TEXT NOT NULL,
    seen_from      TEXT NOT NULL CHECK (seen_from IN ('instance', 'flexible_ip')),
    PRIMARY KEY (flexible_ip_id, instance_id, seen_from)
) WITHOUT ROWID;
CREATE INDEX flexible_ip_identifies_instance_instance_id ON flexible_ip_identifies_instance (instance_id);

-- parent: volume_snapshots (from `base_volume` or `parent_volume`)
CREATE TABLE volume_has_snapshot (
    volume_id   TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, volume_id)
) WITHOUT ROWID;
CREATE INDEX volume_has_snapshot_volume_id ON volume_has_snapshot (volume_id);

-- The documented graph, with the seed's labels and directions. An edge exists
-- only when both of its ends are in the inventory.
CREATE VIEW edges (src_label, src_id, rel, dst_label, dst_id) AS
    SELECT 'ScalewayOrganization', o.id, 'RESOURCE', 'ScalewayProject', x.id
      FROM projects x JOIN organizations o ON o.id = x.organization_id
    UNION ALL
    SELECT 'ScalewayOrganization', o.id, 'RESOURCE', 'ScalewayApplication', x.id
      FROM applications x JOIN organizations o ON o.id = x.organization_id
    UNION ALL
    SELECT 'ScalewayOrganization', o.id, 'RESOURCE', 'ScalewayUser', x.id
      FROM users x JOIN organizations o ON o.id = x.organization_id
    UNION ALL
    SELECT 'ScalewayOrganization', o.id, 'RESOURCE', 'ScalewayGroup', x.id
      FROM groups x JOIN organizations o ON o.id = x.organization_id
    UNION ALL
    SELECT 'ScalewayOrganization', o.id, 'RESOURCE', 'ScalewayApiKey', x.id
      FROM api_keys x JOIN organizations o ON o.id = x.organization_id
    UNION ALL
    SELECT 'ScalewayProject', p.id, 'RESOURCE', 'ScalewayInstance', x.id
      FROM instances x JOIN projects p ON p.id = x.project_id
    UNION ALL
    SELECT 'ScalewayProject', p.id, 'RESOURCE', 'ScalewayFlexibleIp', x.id
      FROM flexible_ips x JOIN projects p ON p.id = x.project_id
    UNION ALL
    SELECT 'ScalewayProject', p.id, 'RESOURCE', 'ScalewayVolume', x.id
      FROM volumes x JOIN projects p ON p.id = x.project_id
    UNION ALL
    SELECT 'ScalewayProject', p.id, 'RESOURCE', 'ScalewayVolumeSnapshot', x.id
      FROM volume_snapshots x JOIN projects p ON p.id = x.project_id
    UNION ALL
    SELECT DISTINCT 'ScalewayInstance', i.id, 'MOUNTS', 'ScalewayVolume', v.id
      FROM instance_mounts_volume m
      JOIN instances i ON i.id = m.instance_id
      JOIN volumes v ON v.id = m.volume_id
    UNION ALL
    SELECT DISTINCT 'ScalewayFlexibleIp', f.id, 'IDENTIFIES', 'ScalewayInstance', i.id
      FROM flexible_ip_identifies_instance r
      JOIN flexible_ips f ON f.id = r.flexible_ip_id
      JOIN instances i ON i.id = r.instance_id
    UNION ALL
    SELECT 'ScalewayVolume', v.id, 'HAS', 'ScalewayVolumeSnapshot', s.id
      FROM volume_has_snapshot r
      JOIN volumes v ON v.id = r.volume_id
      JOIN volume_snapshots s ON s.id = r.snapshot_id
    UNION ALL
    SELECT 'ScalewayUser', u.id, 'MEMBER_OF', 'ScalewayGroup', g.id
      FROM user_member_of_group r
      JOIN users u ON u.id = r.user_id
      JOIN groups g ON g.id = r.group_id
    UNION ALL
    SELECT 'ScalewayApplication', a.id, 'MEMBER_OF', 'ScalewayGroup', g.id
      FROM application_member_of_group r
      JOIN applications a ON a.id = r.application_id
      JOIN groups g ON g.id = r.group_id
    UNION ALL
    SELECT 'ScalewayUser', u.id, 'HAS', 'ScalewayApiKey', k.id
      FROM user_has_api_key r
      JOIN users u ON u.id = r.user_id
      JOIN api_keys k ON k.id = r.api_key_id
    UNION ALL
    SELECT 'ScalewayApplication', a.id, 'HAS', 'ScalewayApiKey', k.id
      FROM application_has_api_key r
      JOIN applications a ON a.id = r.application_id
      JOIN api_keys k ON k.id = r.api_key_id;

CREATE TABLE sync_runs (
    id              INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    organization_id TEXT,
    api_url         TEXT NOT NULL,
    tool_version    TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('complete', 'partial', 'failed')),
    zones           TEXT NOT NULL,
    counts          TEXT NOT NULL,
    errors          TEXT NOT NULL,
    unresolved      TEXT NOT NULL,
    requests        INTEGER NOT NULL,
    retries         INTEGER NOT NULL,
    throttled       INTEGER NOT NULL
);
CREATE INDEX sync_runs_organization_id ON sync_runs (organization_id, started_at);

CREATE TABLE sync_scopes (
    sync_id INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    zone    TEXT NOT NULL,
    status  TEXT NOT NULL CHECK (status IN ('complete', 'failed', 'unavailable')),
    objects INTEGER NOT NULL,
    pages   INTEGER NOT NULL,
    error   TEXT,
    PRIMARY KEY (sync_id, kind, zone)
);

CREATE TABLE schema_doc (
    table_name  TEXT NOT NULL,
    column_name TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (table_name, column_name)
) WITHOUT ROWID;
