-- Each author's public and unlisted posts that are not deleted, counted as they change
-- (issue 18): the `statuses_count` every account on a page shows, read from one row instead
-- of counted over the author's posts on every read. A trigger keeps it, so every way a post
-- is stored, deleted (by its author, by a peer's `Delete`, with an account) or changed is
-- counted without another statement from the node; the inbox's path gains no round trip.
CREATE TABLE author_statuses (
    actor_id BIGINT PRIMARY KEY REFERENCES actors (id),
    statuses BIGINT NOT NULL
);
INSERT INTO author_statuses (actor_id, statuses)
    SELECT author_id, COUNT(*) FROM posts WHERE deleted_at IS NULL AND visibility IN ('public', 'unlisted') GROUP BY author_id;

CREATE FUNCTION author_statuses_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.deleted_at IS NULL AND OLD.visibility IN ('public', 'unlisted') THEN
            UPDATE author_statuses SET statuses = statuses - 1 WHERE actor_id = OLD.author_id;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.deleted_at IS NULL AND NEW.visibility IN ('public', 'unlisted') THEN
            INSERT INTO author_statuses (actor_id, statuses) VALUES (NEW.author_id, 1)
                ON CONFLICT (actor_id) DO UPDATE SET statuses = author_statuses.statuses + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER author_statuses_counted AFTER INSERT OR DELETE OR UPDATE OF deleted_at, visibility, author_id ON posts
    FOR EACH ROW EXECUTE FUNCTION author_statuses_counted();

-- Open needs and offers of one kind, newest first (the front page and `/hulp`), and the
-- boosts, newest first (a home's boosts of those followed): both walked in that order and
-- stopped at the page's limit, instead of every open proposal or every boost read and sorted.
CREATE INDEX proposals_open ON proposals (purpose, state, post_id);
CREATE INDEX reactions_kind_status ON reactions (kind, status_id);
