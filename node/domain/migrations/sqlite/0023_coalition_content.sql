-- Coalition content as it came: the object with its author's integrity proof, so that a
-- replica can pass a member's post on to other replicas (anti-entropy) even when the
-- author's node is gone; and how far this node has read each other replica's content.
CREATE TABLE post_originals (
    post_id BIGINT PRIMARY KEY REFERENCES posts (id),
    raw TEXT NOT NULL
);
CREATE TABLE coalition_content_cursors (
    coalition TEXT NOT NULL,
    replica TEXT NOT NULL,
    read_up_to BIGINT NOT NULL,
    PRIMARY KEY (coalition, replica)
);
