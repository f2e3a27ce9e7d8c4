-- title: Instances not running
-- severity: info
-- description: Instances whose state is not running (stopped, stopped in place, starting,
--   locked, unknown ...): forgotten machines still hold volumes and IPs.

SELECT i.id,
       i.name,
       i.state,
       i.commercial_type,
       i.zone,
       i.project_id,
       p.name AS project,
       i.modification_date
  FROM instances i
  LEFT JOIN projects p ON p.id = i.project_id
 -- Not `state IS NOT 'running'`: two ranges and a null search of the state index read only
 -- the rows returned, where the negation scans every instance row.
 WHERE i.state < 'running' OR i.state > 'running' OR i.state IS NULL
 ORDER BY i.zone, i.name, i.id;
