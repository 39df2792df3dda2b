-- Team decisions: the only state the site keeps. Ids are random (128 bits, hex); capability
-- keys are stored as SHA-256 digests only, so a copy of the database lets nobody in.
CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    organiser_key_hash TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    hidden BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    touched_at BIGINT NOT NULL,
    closed_at BIGINT
);

CREATE TABLE members (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    edit_key_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    comment TEXT NOT NULL,
    answers TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (team_id, name_key)
);

CREATE INDEX members_by_team ON members (team_id, created_at);
CREATE INDEX teams_by_touch ON teams (touched_at);
