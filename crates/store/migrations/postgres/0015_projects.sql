-- The service-project catalogue (服务项目库, issue #14 §1): each project
-- carries the defaults an activity planned from it starts with, an owner,
-- and a retirement (when and by whom) instead of a deletion — activities
-- keep pointing at retired projects. A name is unique among active
-- projects only, so a retired name may be used again.
ALTER TABLE service_projects DROP CONSTRAINT service_projects_name_key;
ALTER TABLE service_projects
    -- pinyin initials and full pinyin of the name, for search ("jkjz" finds 健康讲座)
    ADD COLUMN name_initials TEXT NOT NULL DEFAULT '',
    ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT '',
    ADD COLUMN theme TEXT CHECK (theme IN ('health', 'green', 'happiness', 'harmony', 'integrity')),
    ADD COLUMN description TEXT,
    ADD COLUMN default_minutes BIGINT CHECK (default_minutes > 0),
    ADD COLUMN default_capacity BIGINT CHECK (default_capacity > 0),
    -- JSON array of [name, places]: the roles an activity of this project starts with
    ADD COLUMN default_roles TEXT NOT NULL DEFAULT '[]',
    ADD COLUMN risky BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN adults_only BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN what_to_bring TEXT,
    ADD COLUMN unit_id BIGINT REFERENCES units(id),
    ADD COLUMN team_id BIGINT REFERENCES teams(id),
    ADD COLUMN retired_at BIGINT,
    ADD COLUMN retired_by BIGINT REFERENCES users(id),
    ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE service_projects SET updated_at = created_at;
CREATE UNIQUE INDEX service_projects_active_name ON service_projects (name) WHERE retired_at IS NULL;
CREATE INDEX service_projects_category ON service_projects (category, id);
-- With cancelled_at in it, counting a project's activities reads the index alone.
CREATE INDEX activities_project ON activities (project_id, cancelled_at, starts_at);
-- A project's page sums the ledger over its activities: the index holds
-- every column it reads, so the sum never visits the table.
CREATE INDEX hours_entries_activity ON hours_entries (activity_id, served_on, volunteer_id, hours);
