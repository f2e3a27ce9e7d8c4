-- title: Old snapshots
-- severity: low
-- description: Snapshots created more than `days` days before :now: check they are still
--   wanted (retention, cost, data kept longer than promised).
-- param: days = 90 : age in days

SELECT s.id,
       s.name,
       s.api,
       s.volume_type,
       s.base_volume_id,
       s.size,
       s.state,
       s.zone,
       p.name AS project,
       s.creation_date
  FROM volume_snapshots s
  -- Thousands of rows name their project: read the names from the covering index.
  LEFT JOIN projects p INDEXED BY projects_id_name ON p.id = s.project_id
 -- The cut-off keeps :now's six decimals so that it compares as stored text.
 WHERE s.creation_date < strftime('%Y-%m-%dT%H:%M:%S', :now, '-' || :days || ' days') || substr(:now, 20)
 ORDER BY s.creation_date, s.id;
