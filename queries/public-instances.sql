-- title: Instances with a public IP
-- severity: medium
-- description: Instances reachable from the Internet: at least one flexible IP identifies
--   them (seen from either side), or they have a legacy public IPv6 address.

SELECT i.id,
       i.name,
       i.state,
       i.zone,
       i.project_id,
       p.name AS project,
       (SELECT group_concat(address, ', ')
          FROM (SELECT DISTINCT coalesce(f.address, f.prefix) AS address
                  FROM flexible_ips f
                 WHERE f.server_id = i.id
                    OR f.id IN (SELECT r.flexible_ip_id
                                  FROM flexible_ip_identifies_instance r
                                 WHERE r.instance_id = i.id)
                 ORDER BY 1)) AS public_ips,
       i.ipv6_address
  FROM instances i
  LEFT JOIN projects p ON p.id = i.project_id
 WHERE EXISTS (SELECT 1 FROM flexible_ip_identifies_instance r WHERE r.instance_id = i.id)
    OR EXISTS (SELECT 1 FROM flexible_ips f WHERE f.server_id = i.id)
    OR coalesce(i.ipv6_address, '') <> ''
 ORDER BY i.zone, i.name, i.id;
