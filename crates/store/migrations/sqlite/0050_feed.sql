-- The feed of changes (issue 11) is PostgreSQL's (its migration
-- 0050 adds triggers that notify every instance). SQLite serves one process,
-- which reads hours pages directly and keeps sessions for seconds: nothing to
-- add here. The file keeps both databases' migrations numbered alike.
SELECT 1;
