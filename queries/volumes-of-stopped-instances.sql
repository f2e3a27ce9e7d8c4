-- title: Volumes of instances not running
-- severity: info
-- description: Volumes mounted by an instance whose state is not running: storage billed
--   for a machine that does not run.

-- `stopped` searches the state index in two ranges and for null (`state IS NOT 'running'`
-- scans every instance row). The links come from the mounts' primary key and the
-- volumes' server_id index and name a volume by rowid, so each volume row returned is
-- read once, in rowid order (CROSS JOIN keeps that order).
WITH stopped AS MATERIALIZED (
    SELECT id, name, state
      FROM instances
     WHERE state < 'running' OR state > 'running' OR state IS NULL
),
mounted (volume, instance_id, instance, instance_state) AS (
    SELECT v.rowid, s.id, s.name, s.state
      FROM stopped s
      JOIN instance_mounts_volume m ON m.instance_id = s.id
      JOIN volumes v ON v.id = m.volume_id
    UNION
    SELECT v.rowid, s.id, s.name, s.state
      FROM stopped s
      JOIN volumes v ON v.server_id = s.id
)
SELECT v.id,
       v.name,
       v.api,
       v.volume_type,
       v.size,
       v.zone,
       p.name AS project,
       x.instance_id,
       x.instance,
       x.instance_state
  FROM mounted x
 CROSS JOIN volumes v ON v.rowid = x.volume
  LEFT JOIN projects p ON p.id = v.project_id
 ORDER BY v.zone, v.name, v.id, x.instance_id;
