-- title: Old API keys still valid
-- severity: medium
-- description: API keys created more than `days` days before :now that have not expired:
--   rotate them.
-- param: days = 365 : age in days

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
 -- The cut-off keeps :now's six decimals so that it compares as stored text.
 WHERE k.created_at < strftime('%Y-%m-%dT%H:%M:%S', :now, '-' || :days || ' days') || substr(:now, 20)
   AND (k.expires_at IS NULL OR k.expires_at >= :now)
 ORDER BY k.created_at, k.id;
