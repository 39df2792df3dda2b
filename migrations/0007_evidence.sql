-- What a decision relied on when it was closed with an outcome (JSON: the questionnaire's
-- version, the members' answers and their result, each chosen option's weights and reason, the
-- linked pages' dates and change entries), so later changes of that evidence can be shown.
-- NULL while open, and for decisions closed before evidence was pinned; reopening clears it.
ALTER TABLE teams ADD COLUMN evidence TEXT;
