-- A round's candidates read every volunteer's hours, activities and needs
-- served in the period in one pass over the ledger grouped by volunteer
-- (crates/store/src/honours/figures.rs): the (volunteer_id, served_on) index
-- grows to cover what that pass reads, so it neither sorts 100,000 groups nor
-- touches a table row. The bare (volunteer_id) index is a prefix of it (and of
-- (volunteer_id, id)) and goes. The need rating starts from the rated needs:
-- the (need_id) index grows to cover the day and the volunteer of each entry.
-- A ledger write keeps the same number of indexes, two of them wider.
DROP INDEX hours_entries_volunteer;
DROP INDEX hours_entries_volunteer_day;
CREATE INDEX hours_entries_volunteer_day ON hours_entries (volunteer_id, served_on, hours, activity_id, need_id);
DROP INDEX hours_entries_need;
CREATE INDEX hours_entries_need ON hours_entries (need_id, served_on, volunteer_id);
