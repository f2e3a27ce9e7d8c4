-- title: Instances of end-of-service types
-- severity: medium
-- description: Instances whose commercial type has reached end of service: no new
--   capacity, and support and patches for the type are winding down.

SELECT i.id,
       i.name,
       i.commercial_type,
       i.state,
       i.zone,
       i.project_id,
       p.name AS project,
       i.creation_date
  FROM instances i
  LEFT JOIN projects p ON p.id = i.project_id
 WHERE i.end_of_service = 1
 ORDER BY i.zone, i.name, i.id;
