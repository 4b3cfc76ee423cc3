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
