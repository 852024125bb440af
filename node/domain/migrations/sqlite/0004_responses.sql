-- Responses to offers and needs ("Ik kan helpen" / "Dit wil ik graag"): FEP-0837
-- Offer{Agreement}, answered with Accept or Reject.
CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    proposal_post_id BIGINT NOT NULL REFERENCES posts (id),
    responder_id BIGINT NOT NULL REFERENCES actors (id),
    message TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    agreement_ap_id TEXT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    UNIQUE (proposal_post_id, responder_id)
);
-- Hours given when a proposal was fulfilled (FEP-3264 EconomicEvent, recorded here first).
ALTER TABLE proposals ADD COLUMN hours_given REAL;
