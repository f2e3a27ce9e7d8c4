-- title: Locked users
-- severity: low
-- description: Users whose locked flag is true; their API keys are listed by
--   api-keys-of-locked-users.

SELECT u.id,
       u.email,
       trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS name,
       u.type,
       u.status,
       u.last_login_at,
       (SELECT count(*) FROM api_keys k WHERE k.user_id = u.id) AS api_keys
  FROM users u
 WHERE u.locked = 1
 ORDER BY u.email, u.id;
