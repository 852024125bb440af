-- The coalitions this node hosts a replica of: the coalition's stable identifier (the same
-- on every replica) and the local replica's name in URLs.
CREATE TABLE coalition_replicas (
    id INTEGER PRIMARY KEY,
    coalition TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
