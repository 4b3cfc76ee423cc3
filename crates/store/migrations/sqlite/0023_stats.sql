-- The leadership dashboard reads needs by the day they were completed (or
-- claimed): an index on the step and its time spares it every need's history.
CREATE INDEX stats_need_events_status_at ON need_events (status, at, need_id);
-- Activities counted by start with what the filters and figures read.
CREATE INDEX stats_activities_starts ON activities (starts_at, cancelled_at, district_id, team_id, theme, project_id);
