-- title: Failed snapshots
-- severity: medium
-- description: Snapshots in state error or invalid_data: a backup someone counts on that
--   does not exist.

SELECT s.id,
       s.name,
       s.api,
       s.state,
       s.error_reason,
       s.base_volume_id,
       s.zone,
       p.name AS project,
       s.creation_date
  FROM volume_snapshots s
  LEFT JOIN projects p ON p.id = s.project_id
 WHERE s.state IN ('error', 'invalid_data')
 -- No index serves the state: `+` keeps the creation_date index from driving the scan for
 -- the ORDER BY, which would read every row in date order instead of in file order.
 ORDER BY +s.creation_date, s.id;
