-- Expired and closed needs and offers do not stay forever (issue 17): each initiative chooses
-- how many days they are kept once closed (180 when it did not choose), and a proposal records when it
-- closed (expired, withdrawn or helped). Those closed before this migration count from their
-- expiry, their help, or the last change to their post.
CREATE TABLE need_retention (
    initiative_id BIGINT PRIMARY KEY REFERENCES actors (id),
    keep_days BIGINT NOT NULL
);
ALTER TABLE proposals ADD COLUMN closed_at BIGINT;
UPDATE proposals SET closed_at = COALESCE(fulfilled_at, expires_at, (SELECT posts.changed_at FROM posts WHERE posts.id = proposals.post_id))
WHERE state IN ('fulfilled', 'withdrawn', 'expired');
CREATE INDEX proposals_closed ON proposals (closed_at);
