-- Bookmarks (private to the member), and notifications that may name who did something
-- (a follow, a like, a boost) and need not be about a post (a follow is not).
CREATE TABLE bookmarks (
    member_id BIGINT NOT NULL REFERENCES actors (id),
    post_id BIGINT NOT NULL REFERENCES posts (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (member_id, post_id)
);
CREATE TABLE notifications_new (
    id INTEGER PRIMARY KEY,
    recipient_id BIGINT NOT NULL REFERENCES actors (id),
    kind TEXT NOT NULL,
    post_id BIGINT REFERENCES posts (id),
    related_post_id BIGINT REFERENCES posts (id),
    actor_id BIGINT REFERENCES actors (id),
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    UNIQUE (recipient_id, kind, post_id, related_post_id)
);
INSERT INTO notifications_new (id, recipient_id, kind, post_id, related_post_id, created_at, read_at)
    SELECT id, recipient_id, kind, post_id, related_post_id, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
