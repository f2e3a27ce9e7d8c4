-- title: Users in no group
-- severity: info
-- description: Users who belong to no group: their rights, if any, come from policies
--   attached to them one by one, which are harder to review.

SELECT u.id,
       u.email,
       trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS name,
       u.type,
       u.status
  FROM users u
 WHERE NOT EXISTS (SELECT 1 FROM user_member_of_group m WHERE m.user_id = u.id)
 ORDER BY u.email, u.id;
