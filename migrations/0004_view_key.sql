-- A decision's read-only link (`/teams/view/{key}`): a third capability beside the share link
-- (which lets people join) and the organiser's. Kept as written, not as a digest, so that every
-- page and record can show it: it shows only what a non-member may see, which a copy of the
-- database shows anyway. Decisions made before it get theirs when the store starts.
ALTER TABLE teams ADD COLUMN view_key TEXT;
CREATE UNIQUE INDEX teams_by_view_key ON teams (view_key);
