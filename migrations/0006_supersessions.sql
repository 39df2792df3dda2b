-- A decision superseded by newer ones (MADR's `superseded by`): each row links an older
-- decision to one that replaces it. Linked only by someone who organises both.
CREATE TABLE supersessions (
    old_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    new_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (old_id, new_id)
);
CREATE INDEX supersessions_by_new ON supersessions (new_id);
