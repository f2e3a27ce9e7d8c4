-- title: API keys that never expire
-- severity: medium
-- description: API keys whose expires_at is null: a leaked key stays valid until someone
--   deletes it.

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
 WHERE k.expires_at IS NULL
 ORDER BY k.created_at, k.id;
