-- A round's own quotas for some units (volunteer rounds) or districts (team
-- rounds), in place of quota_per_unit for them: JSON [{"group_id", "quota"}],
-- read with the round like its criteria.
ALTER TABLE honour_rounds ADD COLUMN quotas TEXT NOT NULL DEFAULT '[]';
