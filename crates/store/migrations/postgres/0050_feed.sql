-- The feed of changes (issue 11): each instance keeps the hours pages and
-- the sessions it has read (service::feed) and forgets them the moment what
-- they show changes, whichever instance changed it. These triggers name on
-- channel tongxing_feed the volunteer whose entries or disputes changed,
-- '*' (every hours page) when a name or title the pages show changes or a
-- rare bulk change touches entries, and 'u:' with the account whose
-- details or sessions changed. PostgreSQL delivers the notifications after
-- the commit, in commit order; the totals (hours_totals) move only with
-- entries, in the same transaction, so they need no trigger of their own.
CREATE FUNCTION hours_feed_volunteers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tongxing_feed', v::TEXT) FROM (SELECT DISTINCT volunteer_id AS v FROM changed) s;
    RETURN NULL;
END $$;

CREATE FUNCTION hours_feed_disputes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tongxing_feed', v::TEXT)
        FROM (SELECT DISTINCT e.volunteer_id AS v FROM changed d JOIN hours_entries e ON e.id = d.entry_id) s;
    RETURN NULL;
END $$;

CREATE FUNCTION hours_feed_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tongxing_feed', '*');
    RETURN NULL;
END $$;

CREATE TRIGGER hours_entries_added AFTER INSERT ON hours_entries
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hours_feed_volunteers();
CREATE TRIGGER hours_entries_changed AFTER UPDATE OR DELETE OR TRUNCATE ON hours_entries
    FOR EACH STATEMENT EXECUTE FUNCTION hours_feed_all();
CREATE TRIGGER hours_disputes_added AFTER INSERT ON hours_disputes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hours_feed_disputes();
CREATE TRIGGER hours_disputes_answered AFTER UPDATE ON hours_disputes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hours_feed_disputes();
CREATE TRIGGER hours_disputes_removed AFTER DELETE OR TRUNCATE ON hours_disputes
    FOR EACH STATEMENT EXECUTE FUNCTION hours_feed_all();
CREATE TRIGGER activities_title_feed AFTER UPDATE OF title ON activities
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION hours_feed_all();
CREATE TRIGGER needs_title_feed AFTER UPDATE OF title ON needs
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION hours_feed_all();
CREATE TRIGGER volunteers_name_feed AFTER UPDATE OF name ON volunteers
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION hours_feed_all();
CREATE TRIGGER users_name_feed AFTER UPDATE OF login, volunteer_id, team_id ON users
    FOR EACH ROW WHEN (OLD.login IS DISTINCT FROM NEW.login OR OLD.volunteer_id IS DISTINCT FROM NEW.volunteer_id
        OR OLD.team_id IS DISTINCT FROM NEW.team_id) EXECUTE FUNCTION hours_feed_all();
CREATE TRIGGER teams_leader_feed AFTER UPDATE OF leader_volunteer_id ON teams
    FOR EACH ROW WHEN (OLD.leader_volunteer_id IS DISTINCT FROM NEW.leader_volunteer_id) EXECUTE FUNCTION hours_feed_all();

CREATE FUNCTION account_feed_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tongxing_feed', 'u:' || v::TEXT) FROM (SELECT DISTINCT id AS v FROM changed) s;
    RETURN NULL;
END $$;

CREATE FUNCTION account_feed_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tongxing_feed', 'u:' || v::TEXT) FROM (SELECT DISTINCT user_id AS v FROM changed) s;
    RETURN NULL;
END $$;

CREATE FUNCTION account_feed_volunteer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tongxing_feed', 'u:' || u.id::TEXT) FROM users u WHERE u.volunteer_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER users_account_feed AFTER UPDATE ON users
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_feed_users();
CREATE TRIGGER sessions_ended_feed AFTER DELETE ON sessions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_feed_sessions();
CREATE TRIGGER sessions_changed_feed AFTER UPDATE ON sessions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION account_feed_sessions();
CREATE TRIGGER volunteers_name_account_feed AFTER UPDATE OF name ON volunteers
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION account_feed_volunteer();
