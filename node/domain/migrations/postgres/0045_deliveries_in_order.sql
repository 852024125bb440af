-- The delivery worker claims the oldest due deliveries, a few at a time (issue 18). With tens
-- of thousands pending (a burst of posts to many peers) the claim read every pending row
-- through `deliveries_due` (ordered by time, not id) and sorted them, on every claim. This
-- index holds the pending rows in id order with what the claim filters on, so a claim reads
-- about as many entries as it takes.
CREATE INDEX deliveries_pending_in_order ON deliveries (id, next_attempt_at, lease_until, host, object_ap_id) WHERE state = 'pending';
