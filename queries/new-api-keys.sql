-- title: API keys added since the previous sync
-- severity: medium
-- description: API keys that the latest sync (or the latest `syncs` syncs) of the
--   organization found for the first time and that still exist: check that each was
--   expected. Empty until an organization has been synced twice (the first sync is the
--   baseline of the change history).
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
), added AS (
    SELECT c.id, max(c.sync_id) AS sync_id
      FROM changes c
      JOIN sync_runs r ON r.id = c.sync_id
     WHERE c.sync_id > (SELECT id FROM since)
       AND c.kind = 'api_keys' AND c.change = 'added'
       AND r.organization_id = (SELECT organization_id FROM latest)
     GROUP BY c.id
)
SELECT k.id,
       k.description,
       CASE WHEN k.user_id IS NOT NULL THEN 'user'
            WHEN k.application_id IS NOT NULL THEN 'application' END AS owner_type,
       coalesce(k.user_id, k.application_id) AS owner_id,
       coalesce(u.email, a.name) AS owner,
       k.created_at,
       k.expires_at,
       k.default_project_id,
       added.sync_id AS added_by_sync
  FROM added
  JOIN api_keys k ON k.id = added.id
  LEFT JOIN users u ON u.id = k.user_id
  LEFT JOIN applications a ON a.id = k.application_id
 ORDER BY k.created_at, k.id;
