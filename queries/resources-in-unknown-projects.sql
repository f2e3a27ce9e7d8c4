-- title: Resources in projects not in the inventory
-- severity: low
-- description: Instances, flexible IPs, volumes, snapshots and API keys (default project)
--   whose project is not in the inventory: outside every project review.

-- Each branch walks its table's project index once, checks each distinct project against
-- the projects' primary key (`GROUP BY .. HAVING`: one check per project, not per row), and
-- reads only the rows of the projects that are missing. `> ''` is `coalesce(.., '') <> ''`
-- for text and lets the index serve it.
SELECT x.id, x.kind, x.name, x.zone, x.project_id
  FROM (SELECT id, 'instance' AS kind, name, zone, project_id
          FROM instances
         WHERE project_id IN (SELECT project_id FROM instances
                               WHERE project_id > ''
                               GROUP BY project_id
                              HAVING NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = project_id))
        UNION ALL
        SELECT id, 'flexible_ip', coalesce(address, prefix), zone, project_id
          FROM flexible_ips
         WHERE project_id IN (SELECT project_id FROM flexible_ips
                               WHERE project_id > ''
                               GROUP BY project_id
                              HAVING NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = project_id))
        UNION ALL
        SELECT id, api || '_volume', name, zone, project_id
          FROM volumes
         WHERE project_id IN (SELECT project_id FROM volumes
                               WHERE project_id > ''
                               GROUP BY project_id
                              HAVING NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = project_id))
        UNION ALL
        SELECT id, api || '_snapshot', name, zone, project_id
          FROM volume_snapshots
         WHERE project_id IN (SELECT project_id FROM volume_snapshots
                               WHERE project_id > ''
                               GROUP BY project_id
                              HAVING NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = project_id))
        UNION ALL
        SELECT id, 'api_key', description, NULL, default_project_id
          FROM api_keys
         WHERE default_project_id IN (SELECT default_project_id FROM api_keys
                                       WHERE default_project_id > ''
                                       GROUP BY default_project_id
                                      HAVING NOT EXISTS (SELECT 1 FROM projects p
                                                          WHERE p.id = default_project_id))) x
 ORDER BY x.project_id, x.kind, x.id;
