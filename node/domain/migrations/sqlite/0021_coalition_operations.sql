-- Coalitions (issue 6): the signed operations of their membership log, as received, kept
-- byte for byte (so they can be forwarded with their proofs) beside their reading.
CREATE TABLE coalition_operations (
    id INTEGER PRIMARY KEY,
    coalition TEXT NOT NULL,
    op_id TEXT NOT NULL UNIQUE,
    author TEXT NOT NULL,
    published BIGINT NOT NULL,
    reading TEXT NOT NULL,
    raw TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX coalition_operations_coalition ON coalition_operations (coalition, id);
