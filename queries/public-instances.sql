-- title: Instances with a public IP
-- severity: medium
-- description: Instances reachable from the Internet: at least one flexible IP identifies
--   them (seen from either side), or they have a legacy public IPv6 address.

-- One pass over the flexible IPs (and their links, by the links' primary key) gathers
-- every instance's addresses, instead of an OR of two lookups and a DISTINCT per instance.
-- A link whose instance is the IP's own server_id adds nothing, so it is skipped before
-- the DISTINCT. An instance is public when it has such an address row, a legacy IPv6
-- address, or a link to an IP that is not in the inventory (only checked for the rest).
-- The scan of instances stays: no index serves the IPv6 test.
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
      FROM (SELECT DISTINCT instance_id, address FROM links)
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
