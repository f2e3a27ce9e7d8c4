-- title: API keys expiring soon
-- severity: info
-- description: API keys with :now <= expires_at < :now + `days` days: renew them before
--   what uses them breaks.
-- param: days = 30 : look-ahead window in days

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
 WHERE k.expires_at >= :now
   -- The cut-off keeps :now's six decimals so that it compares as stored text.
   AND k.expires_at < strftime('%Y-%m-%dT%H:%M:%S', :now, '+' || :days || ' days') || substr(:now, 20)
 ORDER BY k.expires_at, k.id;
