-- The web pages: logins (sessions), invitations, and sign-ups that wait for a coordinator.
-- Session tokens and invitation codes are stored as SHA-256 hashes.
CREATE TABLE web_sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    member_id BIGINT NOT NULL REFERENCES actors (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_member ON web_sessions (member_id);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    initiative_id BIGINT REFERENCES actors (id),
    created_by BIGINT NOT NULL REFERENCES actors (id),
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by BIGINT REFERENCES actors (id),
    used_at BIGINT
);

-- NULL: the sign-up waits for a coordinator. Everyone who has an account now is approved.
ALTER TABLE accounts ADD COLUMN approved_at BIGINT;
UPDATE accounts SET approved_at = created_at;
-- What someone who asked to join wrote to the coordinators.
ALTER TABLE accounts ADD COLUMN application TEXT;
