-- What a member is told about: for now, offers and needs that match one of theirs.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    recipient_id BIGINT NOT NULL REFERENCES actors (id),
    kind TEXT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts (id),
    related_post_id BIGINT REFERENCES posts (id),
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    UNIQUE (recipient_id, kind, post_id, related_post_id)
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
