-- RSVP (deelnemen): Join answered with Accept or Reject, Leave; Friendica-style
-- Accept/TentativeAccept/Reject on the Event itself. One row per event and participant.
CREATE TABLE event_participants (
    id INTEGER PRIMARY KEY,
    event_post_id BIGINT NOT NULL REFERENCES posts (id),
    participant_id BIGINT NOT NULL REFERENCES actors (id),
    -- The Join (or Friendica answer) that asked; a new one replaces it when someone rejoins.
    join_ap_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    UNIQUE (event_post_id, participant_id)
);
CREATE INDEX event_participants_participant ON event_participants (participant_id);
-- For events from peers: the count their home node reports. For ours: kept equal to the
-- accepted participants.
ALTER TABLE events ADD COLUMN participant_count BIGINT NOT NULL DEFAULT 0;
-- Bumped on every change of time, place or state (iCal SEQUENCE).
ALTER TABLE events ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN updated_at BIGINT;
