-- title: Flexible IPs attached to no instance
-- severity: low
-- description: Flexible IPs that identify no instance of the inventory (a server_id naming
--   an instance that is not there counts as none): reserved, billed, unused.

-- The server_id index (with the instances' primary key) narrows the IPs down without
-- reading an IP row; only those are read and checked against the links.
SELECT f.id,
       coalesce(f.address, f.prefix) AS address,
       f.type,
       f.state,
       f.zone,
       f.project_id,
       p.name AS project,
       f.server_id,
       f.reverse
  FROM flexible_ips f
  LEFT JOIN projects p ON p.id = f.project_id
 WHERE f.rowid IN (SELECT o.rowid
                     FROM flexible_ips o
                    WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = o.server_id))
   AND NOT EXISTS (SELECT 1
                     FROM flexible_ip_identifies_instance r
                     JOIN instances i ON i.id = r.instance_id
                    WHERE r.flexible_ip_id = f.id)
 ORDER BY f.zone, address, f.id;
