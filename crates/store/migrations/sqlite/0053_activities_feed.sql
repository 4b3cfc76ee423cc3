-- The feed of activity changes (issue 11) is PostgreSQL's (its migration
-- 0053 adds the triggers). SQLite serves one process, whose list pages are
-- kept for a moment only: nothing to add here. The file keeps both
-- databases' migrations numbered alike.
SELECT 1;
