-- The outcome a person states when closing a decision: a framework's slug, or 'none' (no
-- decision: rejected), and why when it differs from the team's result. NULL while open.
ALTER TABLE teams ADD COLUMN outcome TEXT;
ALTER TABLE teams ADD COLUMN rationale TEXT NOT NULL DEFAULT '';
