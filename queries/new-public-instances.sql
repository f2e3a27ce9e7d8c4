-- title: Instances newly reachable from the Internet
-- severity: medium
-- description: Instances with a public IP (as in `public-instances`) that the latest sync
--   (or the latest `syncs` syncs) of the organization found new, or attached to a flexible
--   IP, or given a legacy public IPv6 address. Empty until an organization has been synced
--   twice (the first sync is the baseline of the change history).
-- param: syncs = 1 : how many of the latest syncs to look back over

-- The window: changes recorded after the organization's (syncs + 1)-th latest stored sync,
-- failed syncs in between included (they stored nothing, so recorded nothing).
WITH latest AS (
    SELECT organization_id FROM sync_runs
     WHERE status IN ('complete', 'partial') ORDER BY id DESC LIMIT 1
), since AS (
    SELECT coalesce((SELECT r.id FROM sync_runs r
                      WHERE r.status IN ('complete', 'partial')
                        AND r.organization_id = (SELECT organization_id FROM latest)
                      ORDER BY r.id DESC LIMIT 1 OFFSET :syncs), 0) AS id
), recent AS (
    SELECT c.*
      FROM changes c
      JOIN sync_runs r ON r.id = c.sync_id
     WHERE c.sync_id > (SELECT id FROM since)
       AND c.kind IN ('instances', 'flexible_ip_identifies_instance')
       AND r.organization_id = (SELECT organization_id FROM latest)
), why (instance_id, reason, sync_id) AS (
    SELECT id, 'new instance', sync_id FROM recent
     WHERE kind = 'instances' AND change = 'added'
    UNION ALL
    -- A relationship's id is "<flexible_ip_id> <instance_id>".
    SELECT substr(id, instr(id, ' ') + 1), 'flexible IP ' || substr(id, 1, instr(id, ' ') - 1) || ' attached', sync_id
      FROM recent
     WHERE kind = 'flexible_ip_identifies_instance' AND change = 'added'
    UNION ALL
    SELECT id, 'IPv6 address set', sync_id FROM recent
     WHERE kind = 'instances' AND change = 'modified'
       AND json_type(fields, '$.ipv6[0]') = 'null'
       AND json_type(fields, '$.ipv6[1]') = 'object'
)
SELECT i.id,
       i.name,
       i.state,
       i.zone,
       i.project_id,
       p.name AS project,
       -- As `public-instances` shows them.
       CASE
           WHEN coalesce(i.public_ips, '[]') <> '[]' THEN i.public_ips
           ELSE (SELECT json_group_array(coalesce(f.address, f.prefix)
                                         ORDER BY coalesce(f.address, f.prefix))
                   FROM flexible_ip_identifies_instance r
                   JOIN flexible_ips f ON f.id = r.flexible_ip_id
                  WHERE r.instance_id = i.id)
       END AS public_ips,
       i.ipv6_address,
       (SELECT group_concat(reason, '; ')
          FROM (SELECT reason FROM why WHERE why.instance_id = i.id ORDER BY sync_id, reason)) AS why,
       (SELECT max(sync_id) FROM why WHERE why.instance_id = i.id) AS by_sync
  FROM instances i
  LEFT JOIN projects p ON p.id = i.project_id
 WHERE i.id IN (SELECT instance_id FROM why)
   AND (coalesce(i.public_ips, '[]') <> '[]'
        OR coalesce(i.ipv6_address, '') <> ''
        OR EXISTS (SELECT 1 FROM flexible_ip_identifies_instance r WHERE r.instance_id = i.id))
 ORDER BY i.zone, i.name, i.id;
