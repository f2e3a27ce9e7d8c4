-- title: Volumes no instance mounts
-- severity: low
-- description: Instance and Block volumes that no instance of the inventory mounts (neither
--   through the server's volumes nor through the volume's own server reference).

-- The server_id index (with the instances' primary key) narrows the volumes down without
-- reading a volume row; only those are read and checked against the mounts.
SELECT v.id,
       v.name,
       v.api,
       v.volume_type,
       v.size,
       v.state,
       v.zone,
       v.project_id,
       p.name AS project,
       v.creation_date
  FROM volumes v
  LEFT JOIN projects p ON p.id = v.project_id
 WHERE v.rowid IN (SELECT o.rowid
                     FROM volumes o
                    WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = o.server_id))
   AND NOT EXISTS (SELECT 1
                     FROM instance_mounts_volume m
                     JOIN instances i ON i.id = m.instance_id
                    WHERE m.volume_id = v.id)
 ORDER BY v.zone, v.name, v.id;
