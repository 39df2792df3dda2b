-- One row that /readyz rewrites after a write failed, to learn whether writes commit again.
CREATE TABLE write_checks (
    id INTEGER PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
INSERT INTO write_checks (id, checked_at) VALUES (1, 0);
