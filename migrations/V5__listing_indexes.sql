-- Questions that answer with most of a big table (every public instance, every old
-- snapshot) were slow on large inventories for three reasons, measured on 100 000
-- objects: each answered row was fetched from its table row (which carries the whole API
-- object in `raw`), a public instance's addresses were searched among the flexible IPs,
-- and each row's project name took two searches. These indexes hold the columns those
-- answers show, in the order they are shown, so an answer is read from one index, and
-- names a project in one search; `instances.public_ips` keeps the addresses the server
-- itself reports, so listing a public instance needs no search of the flexible IPs.

ALTER TABLE instances ADD COLUMN public_ips TEXT;

-- Filled from the stored API objects, as the decoder does from then on: the addresses of
-- `public_ips` in the API's order, then the legacy `public_ip`, each address once.
UPDATE instances
   SET public_ips = (
       SELECT json_group_array(address ORDER BY source, position)
         FROM (SELECT json_extract(value, '$.address') AS address,
                      min(source) AS source,
                      min(position) AS position
                 FROM (SELECT value, 0 AS source, CAST(key AS INTEGER) AS position
                         FROM json_each(instances.raw, '$.public_ips')
                        WHERE json_type(instances.raw, '$.public_ips') = 'array'
                       UNION ALL
                       SELECT json_extract(instances.raw, '$.public_ip'), 1, 0
                        WHERE json_type(instances.raw, '$.public_ip') = 'object')
                WHERE coalesce(json_extract(value, '$.address'), '') <> ''
                GROUP BY address))
 WHERE json_type(raw, '$.public_ips') = 'array'
    OR json_type(raw, '$.public_ip') = 'object';

-- The instances in the order questions list them (zone, name), with what they show.
CREATE INDEX instances_zone_name ON instances (zone, name, id, state, project_id, ipv6_address, public_ips, commercial_type, modification_date);

-- A project's name from its ID in one search instead of two, for answers that name the
-- project of thousands of rows (SQLite prefers the primary key's own index unless told).
CREATE INDEX projects_id_name ON projects (id, name);

-- Snapshots by age, with what `old-snapshots` shows.
DROP INDEX volume_snapshots_creation_date;
CREATE INDEX volume_snapshots_creation_date ON volume_snapshots (creation_date, id, name, api, volume_type, base_volume_id, size, state, zone, project_id);

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('instances', 'public_ips', 'Public IP addresses the server reports, as a JSON array of strings: the `address` of each entry of `public_ips`, then of the legacy `public_ip`, in the API''s order, each once (`[]` when it has none). NULL when the API sends neither field. The flexible IPs themselves, seen from either side, are in `flexible_ip_identifies_instance`.');

UPDATE schema_doc
   SET description = 'The complete server object as the API returned it, JSON text (`volumes`, `security_group`, `image`, `protected` and the other fields without a column are only here; of `public_ips` the addresses are also in the `public_ips` column).'
 WHERE table_name = 'instances' AND column_name = 'raw';
