-- title: Applications without API keys
-- severity: info
-- description: Applications (IAM service identities) with no API key: unused, or used with
--   keys that are not in the inventory.

SELECT a.id,
       a.name,
       a.description,
       a.created_at
  FROM applications a
 WHERE NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.application_id = a.id)
   AND NOT EXISTS (SELECT 1 FROM application_has_api_key r WHERE r.application_id = a.id)
 ORDER BY a.name, a.id;
