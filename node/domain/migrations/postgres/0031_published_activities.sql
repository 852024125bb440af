-- The activities we sent, by id, so that an activity id resolves as ActivityPub expects
-- (`GET /activities/{token}`), for whoever may see it. Only activities that left the node
-- are kept: an id nobody was given needs no answer.
CREATE TABLE published_activities (
    ap_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
