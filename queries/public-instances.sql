-- title: Instances with a public IP
-- severity: medium
-- description: Instances reachable from the Internet: at least one flexible IP identifies
--   them (seen from either side), or they have a legacy public IPv6 address.

-- Every instance's addresses are gathered at once, reading the flexible IPs in file order
-- and their links by the links' primary key, instead of an OR of two lookups and a DISTINCT
-- per instance.
-- A link whose instance is the IP's own server_id adds nothing and is dropped before the
-- pairs are deduplicated (one sort, whose order the outer GROUP BY reuses). An instance is
-- public when it has such a pair, a legacy IPv6 address, or a link to an IP that is not in
-- the inventory (checked last, for the others only). The instances are still scanned: no
-- index serves the IPv6 test.
WITH links (instance_id, address) AS (
    SELECT f.server_id, coalesce(f.address, f.prefix)
      FROM flexible_ips f
     WHERE f.server_id IS NOT NULL
    UNION ALL
    SELECT r.instance_id, coalesce(f.address, f.prefix)
      FROM flexible_ips f
     CROSS JOIN flexible_ip_identifies_instance r ON r.flexible_ip_id = f.id
     WHERE r.instance_id IS NOT f.server_id
),
public_ips (instance_id, public_ips) AS (
    SELECT instance_id, group_concat(address, ', ' ORDER BY address)
      FROM (SELECT instance_id, address FROM links
             GROUP BY instance_id, address
             ORDER BY instance_id, address)
     GROUP BY instance_id
)
SELECT i.id,
       i.name,
       i.state,
       i.zone,
       i.project_id,
       p.name AS project,
       x.public_ips,
       i.ipv6_address
  FROM instances i
  LEFT JOIN public_ips x ON x.instance_id = i.id
  LEFT JOIN projects p ON p.id = i.project_id
 WHERE x.instance_id IS NOT NULL
    OR coalesce(i.ipv6_address, '') <> ''
    OR EXISTS (SELECT 1 FROM flexible_ip_identifies_instance r WHERE r.instance_id = i.id)
 ORDER BY i.zone, i.name, i.id;
