-- Indexes for saved questions that filter on columns V1 left unindexed, and a wider
-- index on instance state so that questions about instances that are not running list
-- them without reading each (large) instance row.

CREATE INDEX instances_end_of_service ON instances (end_of_service);
CREATE INDEX volume_snapshots_state ON volume_snapshots (state);

DROP INDEX instances_state;
CREATE INDEX instances_state ON instances (state, zone, name, id, commercial_type, project_id, modification_date);
