-- title: Owners and guests
-- severity: info
-- description: Users of type owner or guest, for a review of who holds the organization
--   and who comes from outside it.

SELECT u.id,
       u.email,
       trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS name,
       u.type,
       u.status,
       u.mfa,
       u.last_login_at
  FROM users u
 WHERE u.type IN ('owner', 'guest')
 ORDER BY u.type, u.email, u.id;
