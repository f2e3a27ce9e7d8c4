-- The schema's own documentation: one row per table or view (column_name = '') and one
-- per column, for every object of V1 except refinery's history table. `inv schema`
-- prints these rows and docs/schema.md is generated from them; a test checks that every
-- column is described and that no row describes a column that does not exist.
-- Conventions used throughout: timestamps are UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`
-- (they sort and compare as text), booleans are 0/1, tags are JSON text, sizes are bytes.

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('organizations', '', 'Scaleway Organizations read by `inv sync`, one row per organization (seed label ScalewayOrganization). Root of the RESOURCE edges to projects, users, applications, groups and API keys.'),
('organizations', 'id', 'ID (UUID) of the organization: the one given to `inv sync` (option, environment or profile) or found from the bearer of the API key.'),
('organizations', 'name', 'Name of the organization, from `GET /iam/v1alpha1/organizations/{id}`. NULL when no sync''s key was allowed to read it; a later sync that cannot read it keeps the last name read.'),
('organizations', 'lastupdated', 'Start time of the last sync that stored this organization (its `sync_runs.started_at`; a sync that stopped early changes nothing), UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`. Not a time reported by the API.'),
('organizations', 'raw', 'The organization object from `GET /iam/v1alpha1/organizations/{id}` as JSON text (its `alias` and `login_*_enabled` flags are only here). NULL when no sync''s key was allowed to read it.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('projects', '', 'Projects of the organization (seed label ScalewayProject), from `GET /account/v3/projects`. A project groups resources: every instance, flexible IP, volume and snapshot belongs to one.'),
('projects', 'id', 'ID (UUID) of the project. In older organizations the `default` project has the organization''s ID.'),
('projects', 'name', 'Name of the project; every organization has a project named `default`.'),
('projects', 'created_at', 'Creation time of the project, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`; NULL when the API does not send it.'),
('projects', 'updated_at', 'Time of the last update of the project, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`; NULL when the API does not send it.'),
('projects', 'description', 'Description of the project, as entered by its creator (often empty).'),
('projects', 'organization_id', 'ID of the organization whose listing returned the project (the `organization_id` filter of the sync); equal to the object''s own `organization_id`.'),
('projects', 'lastupdated', 'Start time of the sync that last saw this project (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync could not read the projects listing and kept the row from an earlier one.'),
('projects', 'raw', 'The complete project object as the API returned it, JSON text (fields without a column, such as `qualification`, are only here).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('users', '', 'IAM users of the organization (seed label ScalewayUser), from `GET /iam/v1alpha1/users`: the people who can log in to the console. Group membership is in `user_member_of_group`, API keys in `user_has_api_key`.'),
('users', 'id', 'ID (UUID) of the user.'),
('users', 'email', 'Email address of the user.'),
('users', 'username', 'User name, unique within the organization (often the email address).'),
('users', 'first_name', 'First name of the user (may be empty).'),
('users', 'last_name', 'Last name of the user (may be empty).'),
('users', 'phone_number', 'Phone number of the user (may be empty).'),
('users', 'locale', 'Locale of the user, e.g. `en_US` or `fr_FR`.'),
('users', 'created_at', 'Time the user was created, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('users', 'updated_at', 'Time of the last update of the user, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('users', 'deletable', '1 if the user can be deleted, 0 if not (the owner cannot be).'),
('users', 'last_login_at', 'Time of the user''s last login, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`; NULL if the user never logged in.'),
('users', 'type', 'Type of user (wire `type`): `owner`, `member`, `guest` or `unknown_type`.'),
('users', 'status', 'Status of the user''s invitation: `invitation_pending`, `activated` or `unknown_status`. Deprecated by the API but still sent.'),
('users', 'mfa', '1 if multi-factor authentication is enabled for the user, 0 if not (wire `mfa`; the deprecated `two_factor_enabled` is only in `raw`).'),
('users', 'account_root_user_id', 'ID of the account root user associated with the user: set for the owner, empty for members.'),
('users', 'tags', 'Tags of the user as a JSON array of strings, e.g. `["admin"]`; NULL when the API sends none.'),
('users', 'locked', '1 if the user is locked, 0 if not.'),
('users', 'organization_id', 'ID of the organization whose listing returned the user (the `organization_id` filter of the sync); equal to the object''s own `organization_id`.'),
('users', 'lastupdated', 'Start time of the sync that last saw this user (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync could not read the users listing and kept the row from an earlier one.'),
('users', 'raw', 'The complete user object as the API returned it, JSON text.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('groups', '', 'IAM groups of the organization (seed label ScalewayGroup), from `GET /iam/v1alpha1/groups`. Their members are in `user_member_of_group` and `application_member_of_group`.'),
('groups', 'id', 'ID (UUID) of the group.'),
('groups', 'created_at', 'Time the group was created, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('groups', 'updated_at', 'Time of the last update of the group, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('groups', 'name', 'Name of the group.'),
('groups', 'description', 'Description of the group (may be empty).'),
('groups', 'tags', 'Tags of the group as a JSON array of strings; NULL when the API sends none.'),
('groups', 'editable', '1 if the group can be edited, 0 if not.'),
('groups', 'deletable', '1 if the group can be deleted, 0 if not.'),
('groups', 'managed', '1 if the group is managed by Scaleway rather than by the organization, 0 if not.'),
('groups', 'organization_id', 'ID of the organization whose listing returned the group (the `organization_id` filter of the sync); equal to the object''s own `organization_id`.'),
('groups', 'lastupdated', 'Start time of the sync that last saw this group (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync could not read the groups listing and kept the row from an earlier one.'),
('groups', 'raw', 'The complete group object as the API returned it, JSON text, including the member lists `user_ids` and `application_ids`.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('applications', '', 'IAM applications of the organization (seed label ScalewayApplication), from `GET /iam/v1alpha1/applications`: non-human principals (service accounts) that hold API keys.'),
('applications', 'id', 'ID (UUID) of the application.'),
('applications', 'name', 'Name of the application.'),
('applications', 'description', 'Description of the application (may be empty).'),
('applications', 'created_at', 'Time the application was created, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('applications', 'updated_at', 'Time of the last update of the application, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('applications', 'editable', '1 if the application can be edited, 0 if not.'),
('applications', 'deletable', '1 if the application can be deleted, 0 if not.'),
('applications', 'managed', '1 if the application is managed by Scaleway rather than by the organization, 0 if not.'),
('applications', 'tags', 'Tags of the application as a JSON array of strings; NULL when the API sends none.'),
('applications', 'organization_id', 'ID of the organization whose listing returned the application (the `organization_id` filter of the sync); equal to the object''s own `organization_id`.'),
('applications', 'lastupdated', 'Start time of the sync that last saw this application (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync could not read the applications listing and kept the row from an earlier one.'),
('applications', 'raw', 'The complete application object as the API returned it, JSON text (its `nb_api_keys` is only here).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('api_keys', '', 'IAM API keys of the organization (seed label ScalewayApiKey), from `GET /iam/v1alpha1/api-keys`. Each key is held by one bearer, a user (`user_id`) or an application (`application_id`). Secret keys are never stored.'),
('api_keys', 'id', 'Access key of the API key (wire `access_key`, 20 characters starting with `SCW`): the key''s identifier, not its secret.'),
('api_keys', 'description', 'Description of the API key (may be empty).'),
('api_keys', 'created_at', 'Time the API key was created, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('api_keys', 'updated_at', 'Time of the last update of the API key, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('api_keys', 'expires_at', 'Expiry time of the API key, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`; NULL if the key never expires.'),
('api_keys', 'default_project_id', 'ID of the project that tools use by default with this key. It does not limit what the key may do: its permissions come from the IAM policies of its bearer.'),
('api_keys', 'editable', '1 if the API key can be edited, 0 if not.'),
('api_keys', 'deletable', '1 if the API key can be deleted, 0 if not.'),
('api_keys', 'managed', '1 if the API key is managed by Scaleway rather than by the organization, 0 if not.'),
('api_keys', 'creation_ip', 'IP address of the device that created the API key, as the API reports it.'),
('api_keys', 'user_id', 'ID of the user who bears the key; NULL when the bearer is an application. The user may be absent from `users` (e.g. a member of another organization).'),
('api_keys', 'application_id', 'ID of the application that bears the key; NULL when the bearer is a user.'),
('api_keys', 'organization_id', 'ID of the organization whose keys the sync listed (the `organization_id` filter of the listing): the API key object itself carries no organization.'),
('api_keys', 'lastupdated', 'Start time of the sync that last saw this key (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync could not read the API keys listing and kept the row from an earlier one.'),
('api_keys', 'raw', 'The complete API key object as the API returned it, JSON text, with `secret_key` removed if it was present (lists send it as null).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('instances', '', 'Instance servers (seed label ScalewayInstance), from `GET /instance/v1/zones/{zone}/servers` in every synced zone. Their volumes are in `instance_mounts_volume`, their public IPs in `flexible_ip_identifies_instance`.'),
('instances', 'id', 'ID (UUID) of the server.'),
('instances', 'name', 'Name of the server.'),
('instances', 'tags', 'Tags of the server as a JSON array of strings; NULL when the API sends none.'),
('instances', 'commercial_type', 'Commercial type (offer) of the server, e.g. `DEV1-S`, `PRO2-XS`, `GP1-M`.'),
('instances', 'creation_date', 'Time the server was created, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('instances', 'dynamic_ip_required', '1 if the server requires a dynamic public IPv4, 0 if not.'),
('instances', 'routed_ip_enabled', '1 if the server uses the routed IP mode, 0 if not (the non-routed mode is deprecated); NULL when the API does not send it.'),
('instances', 'enable_ipv6', '1 if IPv6 is enabled the legacy way, 0 if not. Deprecated: always 0 when `routed_ip_enabled` is 1, where IPv6 addresses are flexible IPs instead.'),
('instances', 'hostname', 'Host name of the server.'),
('instances', 'private_ip', 'Legacy private IPv4 address of the server; deprecated and NULL when `routed_ip_enabled` is 1 (private networks are in `private_nics`).'),
('instances', 'mac_address', 'MAC address of the server, e.g. `de:00:00:00:68:2f`.'),
('instances', 'modification_date', 'Time of the last modification of the server, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('instances', 'state', 'State of the server: `running`, `stopped`, `stopped in place` (with spaces), `starting`, `stopping` or `locked`.'),
('instances', 'location_cluster_id', 'Cluster hosting the server (wire `location.cluster_id`); NULL when the API sends no location, e.g. for a stopped server.'),
('instances', 'location_hypervisor_id', 'Hypervisor hosting the server (wire `location.hypervisor_id`); NULL when the API sends no location.'),
('instances', 'location_node_id', 'Node hosting the server (wire `location.node_id`); NULL when the API sends no location.'),
('instances', 'location_platform_id', 'Platform hosting the server (wire `location.platform_id`); NULL when the API sends no location.'),
('instances', 'ipv6_address', 'Legacy IPv6 address of the server (wire `ipv6.address`, a deprecated object); NULL with routed IPs, whose IPv6 is a flexible IP.'),
('instances', 'ipv6_gateway', 'Gateway of the legacy IPv6 address (wire `ipv6.gateway`); NULL with routed IPs.'),
('instances', 'ipv6_netmask', 'Netmask of the legacy IPv6 address as sent (wire `ipv6.netmask`); NULL with routed IPs.'),
('instances', 'boot_type', 'How the server boots: `local`, `bootscript` or `rescue`.'),
('instances', 'state_detail', 'Detail of the server''s state as free text, e.g. `booted` (may be empty).'),
('instances', 'arch', 'CPU architecture of the server: `x86_64`, `arm`, `arm64` or `unknown_arch`.'),
('instances', 'private_nics', 'The server''s private network interfaces: JSON text of the wire `private_nics` list (each element has `id`, `private_network_id`, `mac_address`, `state`, `ipam_ip_ids`, ...); NULL when not sent.'),
('instances', 'zone', 'Zone of the server, e.g. `fr-par-1` (wire `zone`, or the listing''s zone when absent).'),
('instances', 'end_of_service', '1 if the server''s commercial type has reached end of service, 0 if not.'),
('instances', 'project_id', 'ID of the project that owns the server (wire `project`).'),
('instances', 'organization_id', 'ID of the organization whose listing returned the server (the `organization` filter of the sync); equal to the object''s wire `organization`.'),
('instances', 'lastupdated', 'Start time of the sync that last saw this server (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync did not list its zone (`--zones`) or could not read that listing, and kept the row from an earlier one.'),
('instances', 'raw', 'The complete server object as the API returned it, JSON text (`public_ips`, `volumes`, `security_group`, `image`, `protected` and the other fields without a column are only here).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('flexible_ips', '', 'Flexible (public) IP addresses (seed label ScalewayFlexibleIp), from `GET /instance/v1/zones/{zone}/ips` in every synced zone. An IP attached to a server names it in `server_id`.'),
('flexible_ips', 'id', 'ID (UUID) of the flexible IP.'),
('flexible_ips', 'address', 'The IPv4 address for `routed_ipv4` IPs; NULL for `routed_ipv6` IPs, whose range is in `prefix`.'),
('flexible_ips', 'reverse', 'Reverse DNS name of the address; NULL when none is set.'),
('flexible_ips', 'tags', 'Tags of the IP as a JSON array of strings; NULL when the API sends none.'),
('flexible_ips', 'type', 'Type of IP: `routed_ipv4`, `routed_ipv6`, `unknown_iptype` (legacy `nat` possible on old IPs).'),
('flexible_ips', 'state', 'State of the IP: `attached`, `detached`, `pending`, `error` or `unknown_state`.'),
('flexible_ips', 'prefix', 'IP network in CIDR form for `routed_ipv6` IPs, e.g. `2001:bc8::/64`; NULL for IPv4.'),
('flexible_ips', 'ipam_id', 'ID of the address in Scaleway IPAM (UUID); may differ from `id`.'),
('flexible_ips', 'zone', 'Zone of the IP, e.g. `fr-par-1` (wire `zone`, or the listing''s zone when absent).'),
('flexible_ips', 'server_id', 'ID of the server the IP is attached to (wire `server.id`); NULL when detached.'),
('flexible_ips', 'project_id', 'ID of the project that owns the IP (wire `project`).'),
('flexible_ips', 'organization_id', 'ID of the organization whose listing returned the IP (the `organization` filter of the sync); equal to the object''s wire `organization`.'),
('flexible_ips', 'lastupdated', 'Start time of the sync that last saw this IP (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync did not list its zone (`--zones`) or could not read that listing, and kept the row from an earlier one.'),
('flexible_ips', 'raw', 'The complete IP object as the API returned it, JSON text.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('volumes', '', 'Storage volumes (seed label ScalewayVolume) from two APIs, told apart by `api`: local volumes from `GET /instance/v1/zones/{zone}/volumes` (`api` = `instance`) and Block Storage (SBS) volumes from `GET /block/v1alpha1/zones/{zone}/volumes` (`api` = `block`).'),
('volumes', 'id', 'ID (UUID) of the volume; the ID a server''s mount names in `instance_mounts_volume.volume_id`.'),
('volumes', 'name', 'Name of the volume.'),
('volumes', 'export_uri', 'NBD export URI of the volume (deprecated, normally NULL); always NULL for Block volumes.'),
('volumes', 'size', 'Size of the volume in bytes.'),
('volumes', 'volume_type', 'Type of volume: `l_ssd`, `b_ssd`, `scratch` or `unified` for Instance volumes; always `sbs_volume` for Block volumes (their performance type, e.g. `sbs_5k`, is the wire `type`, only in `raw`).'),
('volumes', 'creation_date', 'Time the volume was created, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ` (wire `creation_date`, or `created_at` for Block volumes).'),
('volumes', 'modification_date', 'Time of the last modification of the volume, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ` (wire `modification_date`, or `updated_at` for Block volumes).'),
('volumes', 'tags', 'Tags of the volume as a JSON array of strings; NULL when the API sends none.'),
('volumes', 'state', 'State of the volume. Instance volumes: `available`, `snapshotting`, `fetching`, `resizing`, `saving`, `hotsyncing`, `attaching` or `error`. Block volumes: their wire `status` (`available`, `in_use`, `creating`, `deleting`, `resizing`, `snapshotting`, `locked`, `error`, ...).'),
('volumes', 'zone', 'Zone of the volume, e.g. `fr-par-1` (wire `zone`, or the listing''s zone when absent).'),
('volumes', 'api', 'API the row was read from: `instance` (local volumes) or `block` (Block Storage volumes).'),
('volumes', 'server_id', 'ID of the server the volume is attached to: wire `server.id` for Instance volumes, the `product_resource_id` of the `references` entry of type `instance_server` for Block volumes; NULL when not attached.'),
('volumes', 'project_id', 'ID of the project that owns the volume (wire `project`, or `project_id` for Block volumes).'),
('volumes', 'organization_id', 'ID of the organization whose listing returned the volume (the `organization` or `organization_id` filter of the sync); Block volumes carry no organization field of their own.'),
('volumes', 'lastupdated', 'Start time of the sync that last saw this volume (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync did not list its zone (`--zones`) or could not read that listing, and kept the row from an earlier one.'),
('volumes', 'raw', 'The complete volume object as its API returned it, JSON text (for Block volumes `type`, `specs`, `references` and `parent_snapshot_id` are only here).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('volume_snapshots', '', 'Snapshots of volumes (seed label ScalewayVolumeSnapshot) from two APIs, told apart by `api`: snapshots of local volumes from `GET /instance/v1/zones/{zone}/snapshots` (`api` = `instance`) and Block Storage snapshots from `GET /block/v1alpha1/zones/{zone}/snapshots` (`api` = `block`).'),
('volume_snapshots', 'id', 'ID (UUID) of the snapshot.'),
('volume_snapshots', 'name', 'Name of the snapshot.'),
('volume_snapshots', 'tags', 'Tags of the snapshot as a JSON array of strings; NULL when the API sends none.'),
('volume_snapshots', 'volume_type', 'Type of the snapshotted volume: `l_ssd`, `b_ssd` or `unified` for Instance snapshots; always `sbs_snapshot` for Block snapshots.'),
('volume_snapshots', 'size', 'Size of the snapshot in bytes.'),
('volume_snapshots', 'state', 'State of the snapshot. Instance snapshots: `available`, `snapshotting`, `error`, `invalid_data`, `importing` or `exporting`. Block snapshots: their wire `status` (`available`, `creating`, `in_use`, `deleting`, `locked`, `exporting`, `error`, ...).'),
('volume_snapshots', 'creation_date', 'Time the snapshot was created, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ` (wire `creation_date`, or `created_at` for Block snapshots).'),
('volume_snapshots', 'modification_date', 'Time of the last modification of the snapshot, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ` (wire `modification_date`, or `updated_at` for Block snapshots).'),
('volume_snapshots', 'error_reason', 'Why a snapshot import failed, for Instance snapshots: the wire `error_details` (or `error_reason`, the SDK''s name, when sent), as text or JSON text. NULL when there is none and always NULL for Block snapshots.'),
('volume_snapshots', 'zone', 'Zone of the snapshot, e.g. `fr-par-1` (wire `zone`, or the listing''s zone when absent).'),
('volume_snapshots', 'api', 'API the row was read from: `instance` (snapshots of local volumes) or `block` (Block Storage snapshots).'),
('volume_snapshots', 'base_volume_id', 'ID of the volume the snapshot was taken of: wire `base_volume.id` for Instance snapshots, `parent_volume.id` for Block snapshots; NULL once the API no longer names it (the volume was deleted).'),
('volume_snapshots', 'project_id', 'ID of the project that owns the snapshot (wire `project`, or `project_id` for Block snapshots).'),
('volume_snapshots', 'organization_id', 'ID of the organization whose listing returned the snapshot (the `organization` or `organization_id` filter of the sync); Block snapshots carry no organization field of their own.'),
('volume_snapshots', 'lastupdated', 'Start time of the sync that last saw this snapshot (a `sync_runs.started_at`), UTC text. Older than the start of the organization''s latest complete or partial sync when that sync did not list its zone (`--zones`) or could not read that listing, and kept the row from an earlier one.'),
('volume_snapshots', 'raw', 'The complete snapshot object as its API returned it, JSON text (for Block snapshots `class` and `references` are only here).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('user_member_of_group', '', 'Group membership of users, (:ScalewayUser)-[:MEMBER_OF]->(:ScalewayGroup). Written from each group''s `user_ids` and replaced whenever the group is stored again; a `user_id` absent from `users` is counted in `sync_runs.unresolved`.'),
('user_member_of_group', 'user_id', 'ID of the member user (an entry of the group''s wire `user_ids`).'),
('user_member_of_group', 'group_id', 'ID of the group (`groups.id`).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('application_member_of_group', '', 'Group membership of applications, (:ScalewayApplication)-[:MEMBER_OF]->(:ScalewayGroup). Written from each group''s `application_ids` and replaced whenever the group is stored again; an `application_id` absent from `applications` is counted in `sync_runs.unresolved`.'),
('application_member_of_group', 'application_id', 'ID of the member application (an entry of the group''s wire `application_ids`).'),
('application_member_of_group', 'group_id', 'ID of the group (`groups.id`).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('user_has_api_key', '', 'API keys borne by users, (:ScalewayUser)-[:HAS]->(:ScalewayApiKey). Written from each key''s `user_id` and replaced whenever the key is stored again; the same pairs as `api_keys.user_id`.'),
('user_has_api_key', 'user_id', 'ID of the user who bears the key (wire `user_id` of the key).'),
('user_has_api_key', 'api_key_id', 'Access key of the API key (`api_keys.id`).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('application_has_api_key', '', 'API keys borne by applications, (:ScalewayApplication)-[:HAS]->(:ScalewayApiKey). Written from each key''s `application_id` and replaced whenever the key is stored again; the same pairs as `api_keys.application_id`.'),
('application_has_api_key', 'application_id', 'ID of the application that bears the key (wire `application_id` of the key).'),
('application_has_api_key', 'api_key_id', 'Access key of the API key (`api_keys.id`).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('instance_mounts_volume', '', 'Volumes attached to servers, (:ScalewayInstance)-[:MOUNTS]->(:ScalewayVolume): one row per entry of a server''s wire `volumes` map, written from the server and replaced whenever it is stored again. For `sbs_volume` entries the volume is a Block Storage volume.'),
('instance_mounts_volume', 'instance_id', 'ID of the server (`instances.id`).'),
('instance_mounts_volume', 'volume_id', 'ID of the attached volume (`id` of the map entry); a Block Storage volume ID when `volume_type` is `sbs_volume`.'),
('instance_mounts_volume', 'position', 'Key of the entry in the server''s `volumes` map: the attachment index as text, `0` being the root volume (sort with `CAST(position AS INTEGER)`).'),
('instance_mounts_volume', 'boot', '1 if the entry is flagged as boot volume, 0 if not. The API often sends 0 even for the root volume; `position` `0` is the reliable sign of it.'),
('instance_mounts_volume', 'volume_type', 'Type of the volume as the mount entry gives it (`l_ssd`, `b_ssd`, `scratch`, `sbs_volume`), known even when the volume itself is not in `volumes`.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('flexible_ip_identifies_instance', '', 'Public IPs of servers, (:ScalewayFlexibleIp)-[:IDENTIFIES]->(:ScalewayInstance), recorded from both sides: from a server''s `public_ips` (and deprecated `public_ip`) and from an IP''s `server`. Each side''s rows are replaced when that object is stored again, so a pair normally appears twice.'),
('flexible_ip_identifies_instance', 'flexible_ip_id', 'ID of the flexible IP (`flexible_ips.id`; the `id` of a server''s `public_ips` entry).'),
('flexible_ip_identifies_instance', 'instance_id', 'ID of the server (`instances.id`; the `server.id` of an IP).'),
('flexible_ip_identifies_instance', 'seen_from', 'Which object the row was read from: `instance` (the server''s `public_ips`) or `flexible_ip` (the IP''s `server`). A pair seen from one side only means the two listings disagreed or the other object is not in the inventory.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('volume_has_snapshot', '', 'Snapshots of volumes, (:ScalewayVolume)-[:HAS]->(:ScalewayVolumeSnapshot). Written from each snapshot''s `base_volume` (Instance) or `parent_volume` (Block) and replaced whenever the snapshot is stored again; the same pairs as `volume_snapshots.base_volume_id`.'),
('volume_has_snapshot', 'volume_id', 'ID of the volume the snapshot was taken of; the volume may be absent from `volumes` (counted in `sync_runs.unresolved`).'),
('volume_has_snapshot', 'snapshot_id', 'ID of the snapshot (`volume_snapshots.id`).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('edges', '', 'View: the documented graph, one row per edge, with the seed''s labels, relationship names and directions (Organization RESOURCE Project, Application, User, Group, ApiKey; Project RESOURCE Instance, FlexibleIp, Volume, VolumeSnapshot; Instance MOUNTS Volume; FlexibleIp IDENTIFIES Instance; Volume HAS VolumeSnapshot; User and Application MEMBER_OF Group and HAS ApiKey). An edge appears once, and only when both ends are rows of the inventory.'),
('edges', 'src_label', 'Seed label of the source node: `ScalewayOrganization`, `ScalewayProject`, `ScalewayInstance`, `ScalewayFlexibleIp`, `ScalewayVolume`, `ScalewayUser` or `ScalewayApplication`.'),
('edges', 'src_id', 'ID of the source node: the `id` of its row in the table of that label.'),
('edges', 'rel', 'Relationship type: `RESOURCE` (owned by an organization or project), `MOUNTS`, `IDENTIFIES`, `HAS` or `MEMBER_OF`.'),
('edges', 'dst_label', 'Seed label of the destination node, e.g. `ScalewayProject`, `ScalewayGroup`, `ScalewayApiKey`, `ScalewayVolumeSnapshot`.'),
('edges', 'dst_id', 'ID of the destination node: the `id` of its row in the table of that label (an access key for `ScalewayApiKey`).');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('sync_runs', '', 'One row per `inv sync` attempt, failed ones included. A sync that stopped early (organization unreadable, key refused, fatal API error, interruption) changed no inventory table: its writes were rolled back and only this row and its `sync_scopes` were recorded.'),
('sync_runs', 'id', 'Number of the sync, increasing with each attempt.'),
('sync_runs', 'started_at', 'Time the sync started, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`; it is the `lastupdated` of every row the sync stored.'),
('sync_runs', 'finished_at', 'Time the sync ended, UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`.'),
('sync_runs', 'organization_id', 'ID of the organization synced; NULL when the sync failed before the organization was known.'),
('sync_runs', 'api_url', 'Base URL of the API that was read, e.g. `https://api.scaleway.com` (a loopback URL for `inv sync --demo`).'),
('sync_runs', 'tool_version', 'Version of inv that ran the sync.'),
('sync_runs', 'schema_version', 'Schema version of the file when the sync ran (the highest applied migration).'),
('sync_runs', 'status', '`complete`: every scope was read (unavailable ones aside); `partial`: some scopes failed and their rows from earlier syncs were kept (see `errors`); `failed`: scopes failed and none was read completely, or the sync stopped early and stored nothing.'),
('sync_runs', 'zones', 'Zones the zonal kinds were listed in, as a JSON array of strings, e.g. `["fr-par-1","nl-ams-1"]`.'),
('sync_runs', 'counts', 'Rows per entity table for this organization after the sync, as a JSON object, e.g. `{"users": 12, "volumes": 40}`; `{}` when the sync stopped early.'),
('sync_runs', 'errors', 'Failed scopes as a JSON array of objects `{kind, zone, status, objects, pages, error}` (as in `sync_scopes`); a sync that stopped early adds one whose `kind` names the step (`organization`, `organizations` or `sync`). `[]` when nothing failed.'),
('sync_runs', 'unresolved', 'References to objects absent from the inventory, as a JSON object from relationship (a join table name, or `resource_project` for resources whose project is missing) to count, non-zero counts only; `{}` when every reference resolves.'),
('sync_runs', 'requests', 'Number of HTTP requests sent to the API, retries included.'),
('sync_runs', 'retries', 'Number of requests that were sent again after a transient failure (HTTP 429, a transient server error, a timeout, a connection error or an unreadable answer).'),
('sync_runs', 'throttled', 'Number of HTTP 429 (rate limited) answers received.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('sync_scopes', '', 'How each part of the organization was read by a sync: one row per (kind, zone) listing. Only a complete scope removes objects that disappeared; a failed one keeps the rows of earlier syncs.'),
('sync_scopes', 'sync_id', 'The sync (`sync_runs.id`); the rows are deleted with it.'),
('sync_scopes', 'kind', 'Resource kind listed: `projects`, `users`, `applications`, `groups`, `api_keys`, `instances`, `flexible_ips`, `instance_volumes`, `block_volumes`, `instance_snapshots` or `block_snapshots` (two kinds share `volumes` and two share `volume_snapshots`).'),
('sync_scopes', 'zone', 'Zone listed, e.g. `fr-par-1`; empty text for global kinds (projects and IAM).'),
('sync_scopes', 'status', '`complete`: every page was read and vanished objects were removed; `failed`: the listing failed and earlier rows were kept (see `error`); `unavailable`: the product is not deployed in that zone, so there was nothing to read.'),
('sync_scopes', 'objects', 'Number of objects of this scope stored by the sync (rolled back with everything else when the sync stopped early).'),
('sync_scopes', 'pages', 'Number of listing pages read, including a second reading when the listing changed during the sync.'),
('sync_scopes', 'error', 'Why the scope failed, as text; NULL unless `status` is `failed`.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('schema_doc', '', 'This documentation: one row per table or view (`column_name` empty) and one per column. `inv schema` prints it.'),
('schema_doc', 'table_name', 'Name of the documented table or view.'),
('schema_doc', 'column_name', 'Name of the documented column; empty text for the row that describes the table or view itself.'),
('schema_doc', 'description', 'What the table or column holds: meaning, unit or format, and the API field it comes from when the name differs.');
