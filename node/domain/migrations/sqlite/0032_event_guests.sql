-- Issue 16: organisers close or reopen registration and choose what they ask of those who
-- join (a lift, a diet wish); members' answers sit with their participation; guests are
-- people without an account (signed up on the event's page, or added by an organiser).
-- Guests and answers are personal data of this node: they never federate.
ALTER TABLE events ADD COLUMN registration_closed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN asks_lift BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN asks_diet BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE event_participants ADD COLUMN needs_lift BOOLEAN;
ALTER TABLE event_participants ADD COLUMN diet TEXT;
CREATE TABLE event_guests (
    id INTEGER PRIMARY KEY,
    event_post_id BIGINT NOT NULL REFERENCES posts (id),
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    needs_lift BOOLEAN,
    diet TEXT,
    state TEXT NOT NULL,
    -- SHA-256 (hex) of the cancel link's token; none for a guest an organiser added.
    cancel_token_hash TEXT UNIQUE,
    -- The organiser who added the guest; none when the guest signed up.
    added_by BIGINT REFERENCES actors (id),
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX event_guests_event ON event_guests (event_post_id);
