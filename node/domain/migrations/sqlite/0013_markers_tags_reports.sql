-- Where a member stopped reading (Mastodon markers), hashtags of posts (tag timelines), and
-- reports of accounts and posts (handled by the node's coordinators and admins).
CREATE TABLE markers (
    member_id BIGINT NOT NULL REFERENCES actors (id),
    timeline TEXT NOT NULL,
    last_read_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (member_id, timeline)
);
CREATE TABLE post_tags (
    post_id BIGINT NOT NULL REFERENCES posts (id),
    tag TEXT NOT NULL,
    PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_tags_tag ON post_tags (tag, post_id);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    reporter_id BIGINT NOT NULL REFERENCES actors (id),
    account_id BIGINT NOT NULL REFERENCES actors (id),
    status_ids TEXT NOT NULL,
    comment TEXT NOT NULL,
    category TEXT NOT NULL,
    forwarded BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
