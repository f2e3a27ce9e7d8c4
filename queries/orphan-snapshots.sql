-- title: Snapshots of volumes that are gone
-- severity: low
-- description: Instance and Block snapshots whose base volume is not in the inventory
--   (snapshots that name no base volume, such as imported ones, are not counted): data kept
--   after its volume was deleted.

-- The base volume index and the volumes' primary key find the orphans without reading a
-- snapshot row (`> ''` is `coalesce(.., '') <> ''` for text and lets the index serve
-- it); only the snapshots returned are read.
SELECT s.id,
       s.name,
       s.api,
       s.volume_type,
       s.base_volume_id,
       s.size,
       s.state,
       s.zone,
       s.project_id,
       p.name AS project,
       s.creation_date
  FROM volume_snapshots s
  LEFT JOIN projects p ON p.id = s.project_id
 WHERE s.rowid IN (SELECT o.rowid
                     FROM volume_snapshots o
                    WHERE o.base_volume_id > ''
                      AND NOT EXISTS (SELECT 1 FROM volumes v WHERE v.id = o.base_volume_id))
 ORDER BY s.creation_date, s.id;
