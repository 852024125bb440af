-- The help loop closes (issue 13): a fulfilled offer or need keeps the author's thank-you for
-- the helper, and a declined or undeliverable response keeps why (a code the pages put in
-- words: another helper was chosen, the need was already being helped, helped, withdrawn,
-- expired; or the responder's own node could not deliver it). A resident's need that only her
-- coordinators see names the need they passed on for her (without her name), whose state it
-- follows.
ALTER TABLE proposals ADD COLUMN thanks TEXT;
ALTER TABLE proposals ADD COLUMN passed_on_to BIGINT;
ALTER TABLE responses ADD COLUMN reason TEXT;
-- The facts the figures count, the same on every node that holds the proposal (they travel
-- with it): whether it was for a resident (never who), when the first response came, when it
-- was helped, and on whose side the helpers were (an initiative's id, or a server's origin).
ALTER TABLE proposals ADD COLUMN for_resident BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE proposals ADD COLUMN first_response_at BIGINT;
ALTER TABLE proposals ADD COLUMN fulfilled_at BIGINT;
CREATE TABLE proposal_helpers (
    post_id BIGINT NOT NULL REFERENCES posts (id),
    side TEXT NOT NULL,
    helpers BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (post_id, side)
);
