-- title: Volumes of instances not running
-- severity: info
-- description: Volumes mounted by an instance whose state is not running: storage billed
--   for a machine that does not run.

WITH stopped AS (
    SELECT id, name, state FROM instances WHERE state IS NOT 'running'
),
mounted AS (
    SELECT m.volume_id, s.id AS instance_id
      FROM stopped s JOIN instance_mounts_volume m ON m.instance_id = s.id
    UNION
    SELECT v.id, s.id
      FROM stopped s JOIN volumes v ON v.server_id = s.id
)
SELECT v.id,
       v.name,
       v.api,
       v.volume_type,
       v.size,
       v.zone,
       p.name AS project,
       s.id AS instance_id,
       s.name AS instance,
       s.state AS instance_state
  FROM mounted x
  JOIN volumes v ON v.id = x.volume_id
  JOIN stopped s ON s.id = x.instance_id
  LEFT JOIN projects p ON p.id = v.project_id
 ORDER BY v.zone, v.name, v.id, s.id;
