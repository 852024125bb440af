-- The newest public posts, for the public timelines and the front page's news, walked
-- without passing the posts nobody else may read (issue 18): 30,000 newer direct messages
-- made the news read take 6.4 ms instead of 0.02, and the public timeline 2.2 ms instead of
-- 0.01, on the reads benchmark's 100,000 statuses. Each index holds public posts only.
DROP INDEX posts_published;
CREATE INDEX posts_public_published ON posts (published, id) WHERE visibility = 'public' AND deleted_at IS NULL;
CREATE INDEX posts_public_newest ON posts (id) WHERE visibility = 'public' AND deleted_at IS NULL;
CREATE INDEX posts_public_local_newest ON posts (id) WHERE visibility = 'public' AND deleted_at IS NULL AND is_local;
