-- title: Instances with a public IP
-- severity: medium
-- description: Instances reachable from the Internet: at least one flexible IP identifies
--   them (seen from either side), or they have a legacy public IPv6 address.

-- The instances are read in answer order from `instances_zone_name`, which holds every
-- column shown, including the addresses the server reports (`public_ips`). Only an
-- instance that reports none is searched for links, and only a link seen from the flexible
-- IP's side alone (the two listings were read at different moments) makes the flexible
-- IPs' own addresses appear.
SELECT i.id,
       i.name,
       i.state,
       i.zone,
       i.project_id,
       p.name AS project,
       CASE
           WHEN coalesce(i.public_ips, '[]') <> '[]' THEN i.public_ips
           ELSE (SELECT json_group_array(coalesce(f.address, f.prefix)
                                         ORDER BY coalesce(f.address, f.prefix))
                   FROM flexible_ip_identifies_instance r
                   JOIN flexible_ips f ON f.id = r.flexible_ip_id
                  WHERE r.instance_id = i.id)
       END AS public_ips,
       i.ipv6_address
  FROM instances i
  -- Thousands of rows name their project: read the names from the covering index.
  LEFT JOIN projects p INDEXED BY projects_id_name ON p.id = i.project_id
 WHERE coalesce(i.public_ips, '[]') <> '[]'
    OR coalesce(i.ipv6_address, '') <> ''
    OR EXISTS (SELECT 1 FROM flexible_ip_identifies_instance r WHERE r.instance_id = i.id)
 ORDER BY i.zone, i.name, i.id;
