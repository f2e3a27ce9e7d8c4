-- title: Dormant users
-- severity: medium
-- description: Users whose last login is more than `days` days before :now (users who never
--   logged in are in users-never-logged-in).
-- param: days = 90 : days without a login

SELECT u.id,
       u.email,
       trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS name,
       u.type,
       u.mfa,
       u.last_login_at
  FROM users u
 -- Stored times are text with exactly six decimals: the cut-off keeps :now's fraction so
 -- that the comparison stays a text comparison on the index.
 WHERE u.last_login_at < strftime('%Y-%m-%dT%H:%M:%S', :now, '-' || :days || ' days') || substr(:now, 20)
 ORDER BY u.last_login_at, u.id;
