-- A certificate states what was certified when it was issued (志愿服务证明):
-- every field it shows is kept with it, so verifying its number later shows
-- the same name, content and signatories even if the registry has changed.
-- The ID number is kept masked only.
ALTER TABLE certificates ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN id_type TEXT;
ALTER TABLE certificates ADD COLUMN id_number_masked TEXT;
ALTER TABLE certificates ADD COLUMN volunteer_number TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN content TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN person_in_charge TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN handler TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN contact TEXT NOT NULL DEFAULT '';
CREATE INDEX certificates_volunteer ON certificates (volunteer_id, id);
