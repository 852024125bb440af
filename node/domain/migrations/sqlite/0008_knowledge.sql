-- Shared knowledge (kennis): articles in markdown with their full history, and edits
-- proposed from other nodes (patches against a named revision).
CREATE TABLE articles (
    post_id BIGINT PRIMARY KEY REFERENCES posts (id),
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    version BIGINT NOT NULL,
    edit_policy TEXT NOT NULL,
    forked_from TEXT,
    forked_from_author TEXT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY,
    article_post_id BIGINT NOT NULL REFERENCES posts (id),
    version BIGINT NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    diff TEXT NOT NULL,
    editor_ap_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (article_post_id, version)
);
CREATE TABLE article_patches (
    id INTEGER PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    article_post_id BIGINT NOT NULL REFERENCES posts (id),
    author_id BIGINT NOT NULL REFERENCES actors (id),
    base_revision TEXT NOT NULL,
    diff TEXT NOT NULL,
    summary TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX article_patches_article ON article_patches (article_post_id, id);
