-- title: Users whose MFA was turned off
-- severity: high
-- description: Users whose `mfa` went from true to false in the latest sync (or the latest
--   `syncs` syncs) of the organization and is still false: ask them why. Empty until an
--   organization has been synced twice (the first sync is the baseline of the change
--   history).
-- param: syncs = 1 : how many of the latest syncs to look back over

-- The window: changes recorded after the organization's (syncs + 1)-th latest stored sync,
-- failed syncs in between included (they stored nothing, so recorded nothing).
WITH latest AS (
    SELECT organization_id FROM sync_runs
     WHERE status IN ('complete', 'partial') ORDER BY id DESC LIMIT 1
), since AS (
    SELECT coalesce((SELECT r.id FROM sync_runs r
                      WHERE r.status IN ('complete', 'partial')
                        AND r.organization_id = (SELECT organization_id FROM latest)
                      ORDER BY r.id DESC LIMIT 1 OFFSET :syncs), 0) AS id
), turned_off AS (
    -- `fields` holds the API's own values: {"mfa": [true, false]}.
    SELECT c.id, max(c.sync_id) AS sync_id
      FROM changes c
      JOIN sync_runs r ON r.id = c.sync_id
     WHERE c.sync_id > (SELECT id FROM since)
       AND c.kind = 'users' AND c.change = 'modified'
       AND json_type(c.fields, '$.mfa[0]') = 'true'
       AND json_type(c.fields, '$.mfa[1]') = 'false'
       AND r.organization_id = (SELECT organization_id FROM latest)
     GROUP BY c.id
)
SELECT u.id,
       u.email,
       trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) AS name,
       u.type,
       u.status,
       u.last_login_at,
       turned_off.sync_id AS turned_off_by_sync
  FROM turned_off
  JOIN users u ON u.id = turned_off.id
 WHERE u.mfa = 0
 ORDER BY u.email, u.id;
