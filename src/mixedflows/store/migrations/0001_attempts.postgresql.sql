-- Version 1: one row per attempt, and a key-value table for the schema version.
CREATE TABLE attempts (
    id BIGSERIAL PRIMARY KEY,
    learner TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    exercise_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    score DOUBLE PRECISION,
    feedback TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX attempts_exercise ON attempts (session, exercise_id);
CREATE INDEX attempts_learner ON attempts (learner);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
