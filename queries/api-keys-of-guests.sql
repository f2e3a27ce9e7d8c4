-- title: API keys of guests
-- severity: medium
-- description: API keys owned by guest users, people from outside the organization whose
--   departure nobody here will notice.

SELECT k.id,
       k.description,
       u.id AS user_id,
       u.email,
       k.created_at,
       k.expires_at,
       k.default_project_id
  FROM users u
  JOIN api_keys k ON k.user_id = u.id
 WHERE u.type = 'guest'
 ORDER BY k.created_at, k.id;
