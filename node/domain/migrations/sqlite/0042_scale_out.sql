-- Several `buurtnet serve` processes on one database (issue 18).
--
-- Each delivery names the object its activity is about, so that deliveries of one object to
-- one peer go in the order they were made (a `Create` before its `Update` before its
-- `Delete`): none is claimed while an older one for the same peer and object is pending.
ALTER TABLE deliveries ADD COLUMN object_ap_id TEXT;
CREATE INDEX deliveries_pending_object ON deliveries (host, object_ap_id, id) WHERE state = 'pending';
-- Which process holds a delivery's lease, so that a process starting up frees only the leases
-- of processes that are gone, never those of one still sending.
ALTER TABLE deliveries ADD COLUMN lease_owner BIGINT;

-- Wrong passwords per account and client address, so that a guesser is slowed down whichever
-- process answers.
CREATE TABLE password_failures (
    account TEXT NOT NULL,
    client TEXT NOT NULL,
    failures BIGINT NOT NULL,
    wait_until BIGINT NOT NULL,
    PRIMARY KEY (account, client)
);
CREATE INDEX password_failures_wait ON password_failures (wait_until);

-- Work that one process at a time must do (housekeeping, mail): who holds it, and until when.
CREATE TABLE work_leases (
    name TEXT PRIMARY KEY,
    holder BIGINT NOT NULL,
    held_until BIGINT NOT NULL
);
