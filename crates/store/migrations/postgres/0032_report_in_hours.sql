-- 双进双报到's hours: what each party member served, per day, in activities
-- located in the community of their current report. Kept with the ledger
-- (store::ledger::append_in!) and rebuilt for a member whenever their report
-- changes, so the region's report reads these rows instead of every ledger
-- entry of the period (issue 14: 176 ms for this year at 100,000 activities,
-- 651 ms for ten years, growing with the ledger).
CREATE TABLE report_in_hours (
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    served_on TEXT NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id),
    party_org_id BIGINT REFERENCES party_orgs(id),
    hours DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (volunteer_id, served_on)
);
-- A period's rows read from the index alone.
CREATE INDEX report_in_hours_day ON report_in_hours (served_on, volunteer_id, community_id, party_org_id, hours);

INSERT INTO report_in_hours (volunteer_id, served_on, community_id, party_org_id, hours)
SELECT e.volunteer_id, e.served_on, r.community_id, r.party_org_id, SUM(e.hours)
FROM hours_entries e
JOIN report_ins r ON r.volunteer_id = e.volunteer_id AND r.ended_at IS NULL
JOIN activities a ON a.id = e.activity_id AND a.community_id = r.community_id
GROUP BY e.volunteer_id, e.served_on, r.community_id, r.party_org_id;

-- Each volunteer's current report, beside their home and unit: the report
-- counts every active party member of the region by (home, unit, report),
-- and reads it from one index in order instead of looking up 35,000
-- reports at 100,000 volunteers. A copy of report_ins' current row, written
-- in the same transaction (store::campaigns::report_in); report_ins holds
-- the references and the history.
ALTER TABLE volunteers ADD COLUMN report_community_id BIGINT;
ALTER TABLE volunteers ADD COLUMN report_party_org_id BIGINT;
UPDATE volunteers SET report_community_id = (SELECT r.community_id FROM report_ins r WHERE r.volunteer_id = volunteers.id AND r.ended_at IS NULL),
    report_party_org_id = (SELECT r.party_org_id FROM report_ins r WHERE r.volunteer_id = volunteers.id AND r.ended_at IS NULL)
WHERE id IN (SELECT volunteer_id FROM report_ins WHERE ended_at IS NULL);
DROP INDEX volunteers_party;
CREATE INDEX volunteers_party ON volunteers (party_member, active, community_id, unit_id, report_community_id, report_party_org_id);
