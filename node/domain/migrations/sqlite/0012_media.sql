-- Images attached to posts. Local ones live as files under the node's media directory
-- (`file_name`); those of peers' posts are kept as links (`remote_url`), never fetched.
CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES actors (id),
    post_id BIGINT REFERENCES posts (id),
    file_name TEXT,
    remote_url TEXT,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    description TEXT NOT NULL DEFAULT '',
    blurhash TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX media_post ON media (post_id);
