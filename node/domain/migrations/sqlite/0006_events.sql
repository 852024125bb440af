-- Events (activiteiten), FEP-8a8e. Each is also a post (text, visibility, federation id).
CREATE TABLE events (
    post_id BIGINT PRIMARY KEY REFERENCES posts (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT,
    timezone TEXT NOT NULL,
    place_name TEXT,
    place_address TEXT,
    latitude REAL,
    longitude REAL,
    online_url TEXT,
    capacity BIGINT,
    join_mode TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_starts_at ON events (starts_at);
