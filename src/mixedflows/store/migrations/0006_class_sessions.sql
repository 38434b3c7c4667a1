-- Version 6: the sessions a facilitator opened on a JupyterHub, with their owner (the hub
-- username), so each facilitator's dashboard shows their own sessions only (issue 16). A
-- session run with `./mfl facilitate` (the facilitator key, no hub) has no row here.
CREATE TABLE IF NOT EXISTS class_sessions (
    code TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS class_sessions_owner ON class_sessions (owner);
