-- What each peer (by host, as deliveries name it) does with HTTP signatures, so that it
-- survives restarts: which style our requests to it are signed in once that is known
-- ('rfc9421' or 'cavage', learned from its answers), and when it last signed a request to
-- us with RFC 9421.
CREATE TABLE peer_signatures (
    host TEXT PRIMARY KEY,
    outgoing_style TEXT,
    outgoing_learned_at BIGINT,
    rfc9421_received_at BIGINT
);
