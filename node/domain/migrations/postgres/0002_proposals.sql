-- Offers and needs (FEP-0837 proposals). Each is also a post: that row carries the readable
-- text, the visibility and the federation id; this one the structured fields.
CREATE TABLE proposals (
    post_id BIGINT PRIMARY KEY REFERENCES posts (id),
    purpose TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    neighbourhood TEXT,
    when_from TEXT,
    when_to TEXT,
    expires_at BIGINT,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX proposals_state ON proposals (state, expires_at);
