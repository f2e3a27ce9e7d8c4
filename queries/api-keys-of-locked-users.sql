-- title: API keys of locked users
-- severity: high
-- description: API keys owned by a user whose locked flag is true: the person is locked
--   out, their keys may not be.

SELECT k.id,
       k.description,
       u.id AS user_id,
       u.email,
       k.created_at,
       k.expires_at,
       k.default_project_id
  FROM users u
  JOIN api_keys k ON k.user_id = u.id
 WHERE u.locked = 1
 ORDER BY k.created_at, k.id;
