-- title: Empty groups
-- severity: info
-- description: Groups with neither users nor applications as members.

SELECT g.id,
       g.name,
       g.description,
       g.created_at
  FROM groups g
 WHERE NOT EXISTS (SELECT 1 FROM user_member_of_group m WHERE m.group_id = g.id)
   AND NOT EXISTS (SELECT 1 FROM application_member_of_group m WHERE m.group_id = g.id)
 ORDER BY g.name, g.id;
