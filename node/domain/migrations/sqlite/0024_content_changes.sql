-- When each post last changed on this node (received, edited, deleted): anti-entropy serves
-- coalition content in this order, so that edits and deletions travel as new posts do.
ALTER TABLE posts ADD COLUMN changed_at BIGINT NOT NULL DEFAULT 0;
UPDATE posts SET changed_at = COALESCE(deleted_at, created_at);
CREATE INDEX posts_changed ON posts (changed_at, id);
-- Read marks now name a point in that order ("changed_at.id"); reading again from the
-- start is harmless (what is held already is recognised).
DROP TABLE coalition_content_cursors;
CREATE TABLE coalition_content_cursors (
    coalition TEXT NOT NULL,
    replica TEXT NOT NULL,
    mark TEXT NOT NULL,
    PRIMARY KEY (coalition, replica)
);
