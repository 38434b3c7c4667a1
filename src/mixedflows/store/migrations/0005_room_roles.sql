-- Version 5: the multi-role exercise of module 10. room_roles: which role each participant
-- holds in a session's exercise, at which table (one participant per role and table; one role
-- per participant). room_debriefs: the exercises whose debrief the facilitator has opened.
-- Decisions themselves are attempts (the attempts table), recorded under the role held here.
CREATE TABLE IF NOT EXISTS room_roles (
    session TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    learner TEXT NOT NULL,
    room INTEGER NOT NULL,
    role TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (session, exercise_id, learner),
    UNIQUE (session, exercise_id, room, role)
);
CREATE TABLE IF NOT EXISTS room_debriefs (
    session TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    PRIMARY KEY (session, exercise_id)
);
