-- 双进双报到: party organisations registered with a community (双进), and
-- party members' reports to their home community (报到). A report is never
-- changed: a new one ends the current one (ended_at), so the history stays.
CREATE TABLE party_orgs (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    unit_id BIGINT REFERENCES units(id),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    secretary TEXT,
    contact_phone TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX party_orgs_community ON party_orgs (community_id);
CREATE INDEX party_orgs_unit ON party_orgs (unit_id);
CREATE TABLE report_ins (
    id BIGSERIAL PRIMARY KEY,
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    party_org_id BIGINT REFERENCES party_orgs(id),
    reported_at BIGINT NOT NULL,
    -- when a later report replaced this one; NULL while it is current
    ended_at BIGINT,
    reported_by BIGINT REFERENCES users(id),
    CHECK (ended_at IS NULL OR ended_at >= reported_at)
);
-- At most one current report per person: a racing second report fails here.
CREATE UNIQUE INDEX report_ins_current ON report_ins (volunteer_id) WHERE ended_at IS NULL;
CREATE INDEX report_ins_community ON report_ins (community_id, volunteer_id) WHERE ended_at IS NULL;
CREATE INDEX report_ins_org ON report_ins (party_org_id) WHERE ended_at IS NULL;
-- Where each current report is, read without the row (the report's people).
CREATE INDEX report_ins_current_place ON report_ins (volunteer_id, community_id, party_org_id) WHERE ended_at IS NULL;
CREATE INDEX report_ins_history ON report_ins (volunteer_id, id);
-- Active party members by home community and unit, read from the index
-- alone: the report counts every party member of the region.
CREATE INDEX volunteers_party ON volunteers (party_member, active, community_id, unit_id);
-- The ledger's entries of a period, read from the index alone: the report's hours.
CREATE INDEX hours_entries_served_on ON hours_entries (served_on, volunteer_id, activity_id, hours);
