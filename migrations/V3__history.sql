-- Change history: every sync after an organization's first records, in its own write
-- transaction, what changed since the previous state of the file. Only changes are
-- stored (never a copy of the inventory per sync): one row per entity or relationship
-- that was added, removed or modified, with the changed fields' old and new values.
--
-- How it is recorded: the sync's writer creates TEMP triggers on its own connection once
-- it knows the sync records (not for the organization's first sync, the baseline). They
-- note every insert, delete and change of `raw` of the entity and join tables; before
-- COMMIT the writer turns those notes into `changes` rows (one net change per entity,
-- the fields compared as JSON values) stamped with the run's id. The triggers and notes
-- live and die with the connection: the file holds no trigger, other writers (sqlite3,
-- tests) record nothing and pay nothing, and a sync that rolls back leaves no trace.
--
-- Why that is exact: the writer upserts every object and replaces join rows by
-- difference, so an INSERT, a DELETE or an UPDATE whose `raw` differs is exactly a change;
-- and the prune of a failed scope never runs, so a partial sync records no removal there.

CREATE TABLE changes (
    sync_id INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    name    TEXT,
    change  TEXT NOT NULL CHECK (change IN ('added', 'removed', 'modified')),
    fields  TEXT,
    -- One net change per sync and entity; serves `inv diff` and the saved questions.
    PRIMARY KEY (sync_id, kind, id)
) WITHOUT ROWID;
-- Serves `inv history KIND ID` (the primary key's sync_id completes every entry).
CREATE INDEX changes_kind_id ON changes (kind, id);

ALTER TABLE sync_runs ADD COLUMN changes INTEGER;

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('changes', '', 'Change history: what each sync found changed since the previous state of the file, one row per entity or relationship added, removed or modified (`inv diff`, `inv history`). Only changes are stored, never a copy per sync; an entity changed twice within one sync has one net change. The first sync of an organization is the baseline and records nothing; a scope that failed records no removal (its rows were kept). A relationship seen from both sides (`flexible_ip_identifies_instance`) is one relationship here: added with its first row, removed with its last.'),
('changes', 'sync_id', 'The sync that recorded the change (`sync_runs.id`): the change happened between the organization''s previous sync and this one. Rows are deleted with their sync.'),
('changes', 'kind', 'What changed: the name of an entity table (`users`, `instances`, ...) or of a join table for a relationship (`user_member_of_group`, `instance_mounts_volume`, ...).'),
('changes', 'id', 'ID of the entity (its `id` in its table), or for a relationship the IDs of its two ends separated by a space, in the order of the join table''s first two columns (e.g. `<user_id> <group_id>`).'),
('changes', 'name', 'A readable label at the time of the change: `name` of the entity, `email` for users, `description` for API keys, the address (or prefix) for flexible IPs; for a relationship `<label of one end> -> <label of the other>`, an end without a label shown by its ID. NULL when the entity has no such label.'),
('changes', 'change', '`added` (new since the previous sync), `removed` (gone from a scope that was read completely) or `modified` (the API object differs).'),
('changes', 'fields', 'For `modified`: a JSON object from each top-level field of the API object (`raw`) whose value differs (compared as JSON, so formatting and key order do not count; an absent field counts as null) to `[old, new]`, e.g. `{"mfa": [true, false]}`. For a relationship, its other columns (`position`, `boot`, `volume_type` of `instance_mounts_volume`) as `[null, value]` when added and `[value, null]` when removed. NULL for entities added or removed: the current row holds an added entity''s values.');

INSERT INTO schema_doc (table_name, column_name, description) VALUES
('sync_runs', 'changes', 'Number of rows the sync recorded in `changes`; NULL when it recorded no history: the organization''s first sync (the baseline), a sync run before inv recorded history, or a failed sync whose changes were rolled back.');
