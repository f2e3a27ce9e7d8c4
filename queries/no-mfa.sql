-- title: Users without MFA
-- severity: high
-- description: Users whose mfa flag is false, pending invitations included: a stolen
--   password is enough to act as them.

SELECT u.id,
       u.email,
       trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS name,
       u.type,
       u.status,
       u.last_login_at,
       u.created_at
  FROM users u
 WHERE u.mfa = 0
 ORDER BY u.email, u.id;
