-- Status ids come from one counter row (issue 18). The table of ids handed out (0029) took
-- the highest row plus one: on PostgreSQL, transactions side by side read the same highest
-- row, so under load most of them collided and tried again, and some gave up. Updating one
-- row makes each wait for the one before it and read what it left.
CREATE TABLE status_counter (id INTEGER PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL);
INSERT INTO status_counter (id, last)
    SELECT 1, MAX(m) FROM (
        SELECT COALESCE(MAX(id), 0) AS m FROM status_ids
        UNION ALL SELECT COALESCE(MAX(id), 0) FROM posts
        UNION ALL SELECT COALESCE(MAX(status_id), 0) FROM reactions
    ) AS t;
DROP TABLE status_ids;
