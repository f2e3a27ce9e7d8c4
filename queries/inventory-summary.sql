-- title: Inventory summary
-- severity: info
-- description: How many objects of each kind the inventory holds, per zone for zonal kinds:
--   a zero or a missing zone is worth a look before trusting the other answers.

SELECT kind || CASE zone WHEN '' THEN '' ELSE '/' || zone END AS id, kind, zone, objects
  FROM (SELECT 'projects' AS kind, '' AS zone, count(*) AS objects FROM projects
        UNION ALL SELECT 'users', '', count(*) FROM users
        UNION ALL SELECT 'groups', '', count(*) FROM groups
        UNION ALL SELECT 'applications', '', count(*) FROM applications
        UNION ALL SELECT 'api_keys', '', count(*) FROM api_keys
        UNION ALL SELECT 'instances', zone, count(*) FROM instances GROUP BY zone
        UNION ALL SELECT 'flexible_ips', zone, count(*) FROM flexible_ips GROUP BY zone
        UNION ALL SELECT api || '_volumes', zone, count(*) FROM volumes GROUP BY api, zone
        UNION ALL SELECT api || '_snapshots', zone, count(*)
                    FROM volume_snapshots GROUP BY api, zone)
 ORDER BY kind, zone;
