-- A peer that failed is held until `retry_at` (issue 18): no delivery to it is claimed, so
-- none is signed or sent, until then, or until the peer sends us something. Cleared by the
-- next success.
ALTER TABLE peers ADD COLUMN retry_at BIGINT;
