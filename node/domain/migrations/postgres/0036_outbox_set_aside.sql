-- Issue 17: an outbox entry that cannot be read or planned is set aside with the reason,
-- instead of holding up every entry behind it; the admin page and /metrics show it.
ALTER TABLE outbox ADD COLUMN set_aside_at BIGINT;
ALTER TABLE outbox ADD COLUMN set_aside_reason TEXT;
