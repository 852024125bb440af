-- A coordinator lets a member choose a new password: a one-time code (stored as a hash).
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    member_id BIGINT NOT NULL REFERENCES actors (id),
    created_by BIGINT NOT NULL REFERENCES actors (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
