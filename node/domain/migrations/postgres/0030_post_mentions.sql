-- The actors a post mentions (its `Mention` tags), apart from whom it is addressed to: Mastodon
-- lists and notifies mentions, and a post may be addressed to someone it does not mention.
-- Local posts so far mentioned exactly their recipients.
CREATE TABLE post_mentions (
    post_id BIGINT NOT NULL REFERENCES posts (id),
    actor_ap_id TEXT NOT NULL,
    PRIMARY KEY (post_id, actor_ap_id)
);
INSERT INTO post_mentions (post_id, actor_ap_id)
    SELECT r.post_id, r.actor_ap_id FROM post_recipients r JOIN posts p ON p.id = r.post_id
    WHERE p.is_local AND p.visibility <> 'coalition';
-- The conversation a post belongs to (FEP-7888 `context`), as its author gave it; a local reply
-- takes its parent's.
CREATE TABLE post_contexts (
    post_id BIGINT PRIMARY KEY REFERENCES posts (id),
    context TEXT NOT NULL
);
