-- A boost is a status of its own in the Mastodon API (a reblog with its own id, paged with
-- posts in one timeline), so posts and boosts draw their ids from one counter: `status_ids`
-- hands out the next id (its highest row is the last one given), a post takes it as its row
-- id, a boost keeps it in `reactions.status_id`.
CREATE TABLE status_ids (id INTEGER PRIMARY KEY);
ALTER TABLE reactions ADD COLUMN status_id BIGINT;
-- Boosts made before this get ids after every post so far, in the order they were made.
UPDATE reactions SET status_id = (SELECT COALESCE(MAX(id), 0) FROM posts) + id WHERE kind = 'announce';
INSERT INTO status_ids (id)
    SELECT MAX(m) FROM (SELECT COALESCE(MAX(id), 0) AS m FROM posts UNION ALL SELECT COALESCE(MAX(status_id), 0) FROM reactions) AS t;
CREATE UNIQUE INDEX reactions_status_id ON reactions (status_id);
