-- Buurtnet schema, SQLite dialect. Times are Unix milliseconds (BIGINT) so both dialects agree.
CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    username TEXT NOT NULL,
    domain TEXT NOT NULL,
    is_local BOOLEAN NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    outbox TEXT,
    followers TEXT,
    following TEXT,
    url TEXT,
    public_key_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    ed25519_public_multibase TEXT,
    ed25519_private_pkcs8 TEXT,
    manually_approves_followers BOOLEAN NOT NULL DEFAULT FALSE,
    fetched_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX actors_local_username ON actors (username) WHERE is_local;
CREATE INDEX actors_key_id ON actors (public_key_id);

CREATE TABLE accounts (
    actor_id BIGINT PRIMARY KEY REFERENCES actors (id),
    password_hash TEXT NOT NULL,
    email TEXT UNIQUE,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE initiative_members (
    initiative_id BIGINT NOT NULL REFERENCES actors (id),
    member_id BIGINT NOT NULL REFERENCES actors (id),
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (initiative_id, member_id)
);

CREATE TABLE follows (
    id INTEGER PRIMARY KEY,
    follower_id BIGINT NOT NULL REFERENCES actors (id),
    followee_id BIGINT NOT NULL REFERENCES actors (id),
    state TEXT NOT NULL,
    activity_ap_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (follower_id, followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id, state);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    author_id BIGINT NOT NULL REFERENCES actors (id),
    content TEXT NOT NULL,
    source TEXT,
    summary TEXT,
    visibility TEXT NOT NULL,
    in_reply_to TEXT,
    url TEXT,
    published BIGINT NOT NULL,
    updated BIGINT,
    deleted_at BIGINT,
    is_local BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX posts_author ON posts (author_id, id);
CREATE INDEX posts_in_reply_to ON posts (in_reply_to);

CREATE TABLE post_recipients (
    post_id BIGINT NOT NULL REFERENCES posts (id),
    actor_ap_id TEXT NOT NULL,
    PRIMARY KEY (post_id, actor_ap_id)
);

CREATE TABLE reactions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    activity_ap_id TEXT NOT NULL UNIQUE,
    actor_ap_id TEXT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts (id),
    created_at BIGINT NOT NULL,
    UNIQUE (kind, actor_ap_id, post_id)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expanded_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (expanded_at, id);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    outbox_id BIGINT NOT NULL REFERENCES outbox (id),
    activity_ap_id TEXT NOT NULL,
    signer_id BIGINT NOT NULL REFERENCES actors (id),
    inbox TEXT NOT NULL,
    host TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT,
    UNIQUE (outbox_id, inbox)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);

CREATE TABLE peers (
    host TEXT PRIMARY KEY,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_success_at BIGINT,
    last_failure_at BIGINT,
    last_error TEXT,
    unreachable_since BIGINT
);

CREATE TABLE received_activities (
    ap_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);

CREATE TABLE blocked_domains (
    domain TEXT PRIMARY KEY,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE blocked_actors (
    ap_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
