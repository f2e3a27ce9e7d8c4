-- title: Organization owner without MFA
-- severity: critical
-- description: The owner (account root user) has MFA off: one password controls the whole
--   organization, billing and every other user included.

SELECT u.id,
       u.email,
       trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS name,
       u.type,
       u.account_root_user_id,
       u.last_login_at
  FROM users u
 WHERE u.mfa = 0
   AND (u.type = 'owner' OR coalesce(u.account_root_user_id, '') <> '')
 ORDER BY u.email, u.id;
