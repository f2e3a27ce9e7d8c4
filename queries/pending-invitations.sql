-- title: Pending invitations
-- severity: low
-- description: Users whose status is invitation_pending: whoever reads the invitation
--   e-mail can still join the organization.

SELECT u.id,
       u.email,
       u.type,
       u.mfa,
       u.created_at
  FROM users u
 WHERE u.status = 'invitation_pending'
 ORDER BY u.email, u.id;
