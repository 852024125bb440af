-- Access tokens may live for a limited time (web.access_token_lifetime_secs); NULL: until revoked.
ALTER TABLE oauth_tokens ADD COLUMN expires_at BIGINT;
