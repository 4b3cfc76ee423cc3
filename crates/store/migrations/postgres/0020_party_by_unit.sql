-- A liaison's first screen counts their unit's party members who have not
-- reported; 0017's index leads with party_member, so each count walked every
-- party member of the region. This one seeks the unit's members directly.
CREATE INDEX volunteers_party_unit ON volunteers (unit_id, party_member, active);
