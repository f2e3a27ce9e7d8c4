-- title: Resources in projects not in the inventory
-- severity: low
-- description: Instances, flexible IPs, volumes, snapshots and API keys (default project)
--   whose project is not in the inventory: outside every project review.

SELECT x.id, x.kind, x.name, x.zone, x.project_id
  FROM (SELECT id, 'instance' AS kind, name, zone, project_id FROM instances
        UNION ALL
        SELECT id, 'flexible_ip', coalesce(address, prefix), zone, project_id FROM flexible_ips
        UNION ALL
        SELECT id, api || '_volume', name, zone, project_id FROM volumes
        UNION ALL
        SELECT id, api || '_snapshot', name, zone, project_id FROM volume_snapshots
        UNION ALL
        SELECT id, 'api_key', description, NULL, default_project_id FROM api_keys) x
 WHERE coalesce(x.project_id, '') <> ''
   AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = x.project_id)
 ORDER BY x.project_id, x.kind, x.id;
