-- Initiatives that organise an event together with its author, possibly on other nodes.
-- On the event's home node a row is confirmed when the author's coordinator adds it; on a
-- co-organiser's node when that initiative's coordinator confirms, so nobody can put an
-- event in someone else's agenda.
CREATE TABLE event_organisers (
    event_post_id BIGINT NOT NULL REFERENCES posts (id),
    organiser_ap_id TEXT NOT NULL,
    confirmed BOOLEAN NOT NULL,
    PRIMARY KEY (event_post_id, organiser_ap_id)
);
CREATE INDEX event_organisers_organiser ON event_organisers (organiser_ap_id);
