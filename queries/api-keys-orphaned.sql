-- title: API keys of unknown owners
-- severity: high
-- description: API keys whose owner (user or application) is not in the inventory, or that
--   name no owner at all: nobody can answer for them.

SELECT k.id,
       k.description,
       CASE WHEN k.user_id IS NOT NULL THEN 'user'
            WHEN k.application_id IS NOT NULL THEN 'application' END AS owner_type,
       coalesce(k.user_id, k.application_id) AS owner_id,
       coalesce(u.email, a.name) AS owner,
       k.created_at,
       k.expires_at,
       k.default_project_id
  FROM api_keys k
  LEFT JOIN users u ON u.id = k.user_id
  LEFT JOIN applications a ON a.id = k.application_id
 WHERE (coalesce(k.user_id, '') <> ''
        AND NOT EXISTS (SELECT 1 FROM users x WHERE x.id = k.user_id))
    OR (coalesce(k.application_id, '') <> ''
        AND NOT EXISTS (SELECT 1 FROM applications x WHERE x.id = k.application_id))
    OR (coalesce(k.user_id, '') = '' AND coalesce(k.application_id, '') = '')
 ORDER BY k.created_at, k.id;
