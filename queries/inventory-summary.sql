-- title: Inventory summary
-- severity: info
-- description: How many objects of each kind the inventory holds, per zone for zonal kinds:
--   a zero or a missing zone is worth a look before trusting the other answers.

-- Zonal kinds are counted in the order of their (organization_id, zone[, api]) index,
-- then added up per zone: no sort of every row.
SELECT kind || CASE zone WHEN '' THEN '' ELSE '/' || zone END AS id, kind, zone, objects
  FROM (SELECT 'projects' AS kind, '' AS zone, count(*) AS objects FROM projects
        UNION ALL SELECT 'users', '', count(*) FROM users
        UNION ALL SELECT 'groups', '', count(*) FROM groups
        UNION ALL SELECT 'applications', '', count(*) FROM applications
        UNION ALL SELECT 'api_keys', '', count(*) FROM api_keys
        UNION ALL SELECT 'instances', zone, sum(n)
                    FROM (SELECT zone, count(*) AS n FROM instances
                           GROUP BY organization_id, zone)
                   GROUP BY zone
        UNION ALL SELECT 'flexible_ips', zone, sum(n)
                    FROM (SELECT zone, count(*) AS n FROM flexible_ips
                           GROUP BY organization_id, zone)
                   GROUP BY zone
        UNION ALL SELECT api || '_volumes', zone, sum(n)
                    FROM (SELECT api, zone, count(*) AS n FROM volumes
                           GROUP BY organization_id, zone, api)
                   GROUP BY api, zone
        UNION ALL SELECT api || '_snapshots', zone, sum(n)
                    FROM (SELECT api, zone, count(*) AS n FROM volume_snapshots
                           GROUP BY organization_id, zone, api)
                   GROUP BY api, zone)
 ORDER BY kind, zone;
