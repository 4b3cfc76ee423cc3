-- People are shown by their names, never their logins (PRODUCT.md): an
-- account of someone with no volunteer record (a coordinator, a liaison, a
-- leader) carries the name it is shown by. A volunteer's account shows the
-- volunteer's name when this is empty.
ALTER TABLE users ADD COLUMN name TEXT;
