-- Version 4: drafts, a learner's answer not yet submitted (one per learner and exercise), kept
-- on every change so a reload or another day brings it back (issue 13, point 4). A draft is
-- never graded, never an attempt, and replaced by the next one.
CREATE TABLE IF NOT EXISTS drafts (
    learner TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    draft TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (learner, exercise_id)
);
