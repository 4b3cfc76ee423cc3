-- The yearly campaign (C5): goals and the two-month rotation of hosting
-- districts. Days are YYYY-MM-DD text; from_ms/until_ms are the same span in
-- unix ms (region midnight of the first day, of the day after the last), so
-- activities are matched on one indexed integer range.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    from_ms INTEGER NOT NULL,
    until_ms INTEGER NOT NULL,
    -- Theme codes joined by commas, in the order of activities::THEMES.
    themes TEXT NOT NULL,
    exclusive_themes INTEGER NOT NULL DEFAULT 0 CHECK (exclusive_themes IN (0, 1)),
    allow_overlap INTEGER NOT NULL DEFAULT 0 CHECK (allow_overlap IN (0, 1)),
    warn_days INTEGER NOT NULL,
    -- The secret of the campaign's iCal feed of slots.
    feed_token TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (until_ms > from_ms)
);
CREATE INDEX campaigns_span ON campaigns (from_ms);
CREATE TABLE campaign_goals (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    metric TEXT NOT NULL CHECK (metric IN ('activities', 'hours', 'people_served')),
    theme TEXT,
    district_id INTEGER REFERENCES districts(id),
    target REAL NOT NULL
);
CREATE INDEX campaign_goals_campaign ON campaign_goals (campaign_id);
CREATE TABLE campaign_slots (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    district_id INTEGER NOT NULL REFERENCES districts(id),
    theme TEXT NOT NULL CHECK (theme IN ('health', 'green', 'happiness', 'harmony', 'integrity')),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    from_ms INTEGER NOT NULL,
    until_ms INTEGER NOT NULL,
    -- When the district was warned the slot is coming, and that it ended owing: each once.
    warned_at INTEGER,
    owing_warned_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (until_ms > from_ms)
);
CREATE INDEX campaign_slots_campaign ON campaign_slots (campaign_id, from_ms);
CREATE INDEX campaign_slots_district ON campaign_slots (district_id, from_ms);
-- A slot reads the activities of one district and theme within its days
-- (an activity's ledger entries have 0015's index).
CREATE INDEX activities_district_theme ON activities (district_id, theme, starts_at);
