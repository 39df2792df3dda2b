-- When an accepted decision was marked deprecated (MADR's `deprecated`): the team no longer
-- follows it, but the record stays. NULL otherwise; reopening clears it.
ALTER TABLE teams ADD COLUMN deprecated_at BIGINT;
