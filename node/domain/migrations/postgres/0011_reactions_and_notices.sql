-- Bookmarks (private to the member), and notifications that may name who did something
-- (a follow, a like, a boost) and need not be about a post (a follow is not).
CREATE TABLE bookmarks (
    member_id BIGINT NOT NULL REFERENCES actors (id),
    post_id BIGINT NOT NULL REFERENCES posts (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (member_id, post_id)
);
ALTER TABLE notifications ALTER COLUMN post_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN actor_id BIGINT REFERENCES actors (id);
