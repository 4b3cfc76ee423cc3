-- The feed names activity changes (issue 11): each instance keeps the
-- upcoming-activity list pages it read while it hears the feed, and forgets
-- them all the moment it hears 'a' on channel tongxing_feed: an activity
-- planned, changed, cancelled or removed, its places taken or given back
-- (sign-ups move the counters on the activity's row), or a team, community
-- or service project renamed (the pages show their names). One notification
-- per statement: PostgreSQL folds a transaction's equal payloads into one.
CREATE FUNCTION activities_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tongxing_feed', 'a');
    RETURN NULL;
END $$;

CREATE TRIGGER activities_feed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON activities
    FOR EACH STATEMENT EXECUTE FUNCTION activities_feed();
CREATE TRIGGER teams_name_activities_feed AFTER UPDATE OF name ON teams
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION activities_feed();
CREATE TRIGGER communities_name_activities_feed AFTER UPDATE OF name ON communities
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION activities_feed();
CREATE TRIGGER projects_name_activities_feed AFTER UPDATE OF name ON service_projects
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION activities_feed();
