-- Moving an account to another server (issue 17), as Mastodon does: a local actor lists its
-- old identities (`alsoKnownAs`, so that a Move from them is believed), and any actor that
-- moved records where to (`movedTo`: ours once we sent a Move, a peer's once we accepted its Move).
ALTER TABLE actors ADD COLUMN moved_to TEXT;
CREATE TABLE actor_aliases (
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    alias TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, alias)
);
