-- Members who deleted their account. The actor row stays (its name stays taken, its keys
-- sign the Delete that tells the peers); its documents answer 410 Gone.
CREATE TABLE deleted_accounts (
    actor_id BIGINT PRIMARY KEY REFERENCES actors (id),
    deleted_at BIGINT NOT NULL
);
