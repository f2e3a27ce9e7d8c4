-- title: API keys of the account root user
-- severity: high
-- description: API keys owned by the organization owner (type owner, or an
--   account_root_user_id set): a key that can do everything, billing included.

SELECT k.id,
       k.description,
       u.id AS user_id,
       u.email,
       k.created_at,
       k.expires_at,
       k.default_project_id
  -- CROSS JOIN keeps users as the outer loop: the few root users lead to their keys by
  -- index, where ordering by created_at alone would walk every API key.
  FROM users u
 CROSS JOIN api_keys k ON k.user_id = u.id
 WHERE u.type = 'owner' OR coalesce(u.account_root_user_id, '') <> ''
 ORDER BY k.created_at, k.id;
