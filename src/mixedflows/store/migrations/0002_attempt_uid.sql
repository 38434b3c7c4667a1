-- Version 2: every attempt carries a random uid made before it is sent, unique in the table,
-- so an attempt sent twice (a resend after a dropped connection, a replayed fallback entry)
-- is stored once. Rows of version 1 keep a NULL uid (NULLs do not collide in a unique index).
ALTER TABLE attempts ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX attempts_uid ON attempts (uid);
