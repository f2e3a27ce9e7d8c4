-- title: Users who never logged in
-- severity: low
-- description: Accepted users (pending invitations excluded) with no last login: accounts
--   nobody uses are accounts nobody watches.

SELECT u.id,
       u.email,
       trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS name,
       u.type,
       u.status,
       u.created_at
  FROM users u
 WHERE u.last_login_at IS NULL
   AND u.status IS NOT 'invitation_pending'
 ORDER BY u.email, u.id;
