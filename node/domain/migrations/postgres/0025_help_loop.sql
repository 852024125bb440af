-- The help loop closes (issue 13): a fulfilled offer or need keeps the author's thank-you for
-- the helper, and a declined or undeliverable response keeps why (a code the pages put in
-- words: another helper was chosen, the need was already being helped, helped, withdrawn,
-- expired; or the responder's own node could not deliver it). A resident's need that only her
-- coordinators see names the need they passed on for her (without her name), whose state it
-- follows.
ALTER TABLE proposals ADD COLUMN thanks TEXT;
ALTER TABLE proposals ADD COLUMN passed_on_to BIGINT;
ALTER TABLE responses ADD COLUMN reason TEXT;
