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
 -- Read in answer order from `instances_zone_name`, which holds every column shown: no
 -- instance row is read, and nothing is sorted.
 WHERE i.state IS NOT 'running'
 ORDER BY i.zone, i.name, i.id;
