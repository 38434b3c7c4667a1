-- Version 3: what the learner was shown, stored with the attempt, so the dashboard and the
-- exports read it instead of grading again (issue 12, point 5). Both NULL for older rows.
--   feedback_items: JSON list of structured feedback items (what was expected, what was
--                   given, the credit, the message and its citation), as the grader made them.
--   grade_shown:    the exercise's grade exactly as the learner saw it (e.g. "75%").
ALTER TABLE attempts ADD COLUMN feedback_items TEXT;
ALTER TABLE attempts ADD COLUMN grade_shown TEXT;
