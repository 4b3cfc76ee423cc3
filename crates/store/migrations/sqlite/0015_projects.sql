-- no-transaction
-- The service-project catalogue (服务项目库, issue #14 §1): each project
-- carries the defaults an activity planned from it starts with, an owner,
-- and a retirement (when and by whom) instead of a deletion — activities
-- keep pointing at retired projects. A name is unique among active
-- projects only, so a retired name may be used again.
-- SQLite cannot drop the old column UNIQUE, so the table is rebuilt with
-- the same ids, the way sqlite.org/lang_altertable.html says: foreign keys
-- off (which only works outside a transaction, hence no-transaction and
-- our own BEGIN/COMMIT), rebuild under the old name, foreign keys on again.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE service_projects_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- pinyin initials and full pinyin of the name, for search ("jkjz" finds 健康讲座)
    name_initials TEXT NOT NULL DEFAULT '',
    name_pinyin TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    theme TEXT CHECK (theme IN ('health', 'green', 'happiness', 'harmony', 'integrity')),
    description TEXT,
    default_minutes INTEGER CHECK (default_minutes > 0),
    default_capacity INTEGER CHECK (default_capacity > 0),
    -- JSON array of [name, places]: the roles an activity of this project starts with
    default_roles TEXT NOT NULL DEFAULT '[]',
    risky INTEGER NOT NULL DEFAULT 0 CHECK (risky IN (0, 1)),
    adults_only INTEGER NOT NULL DEFAULT 0 CHECK (adults_only IN (0, 1)),
    what_to_bring TEXT,
    unit_id INTEGER REFERENCES units(id),
    team_id INTEGER REFERENCES teams(id),
    retired_at INTEGER,
    retired_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO service_projects_new (id, name, category, created_at, updated_at)
    SELECT id, name, category, created_at, created_at FROM service_projects;
DROP TABLE service_projects;
ALTER TABLE service_projects_new RENAME TO service_projects;
CREATE UNIQUE INDEX service_projects_active_name ON service_projects (name) WHERE retired_at IS NULL;
CREATE INDEX service_projects_category ON service_projects (category, id);
-- With cancelled_at in it, counting a project's activities reads the index alone.
CREATE INDEX activities_project ON activities (project_id, cancelled_at, starts_at);
-- A project's page sums the ledger over its activities: the index holds
-- every column it reads, so the sum never visits the table.
CREATE INDEX hours_entries_activity ON hours_entries (activity_id, served_on, volunteer_id, hours);
COMMIT;
PRAGMA foreign_keys = ON;
