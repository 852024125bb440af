-- What a page of statuses reads, found through an index whatever the node holds (issue 18):
-- the posts addressed to a member (her home), a page's likes and boosts, and the
-- initiatives each author of a page belongs to (who may read what), and the newest public
-- posts (the front page's news).
CREATE INDEX post_recipients_actor ON post_recipients (actor_ap_id, post_id);
CREATE INDEX reactions_post ON reactions (post_id, kind);
CREATE INDEX initiative_members_member ON initiative_members (member_id);
CREATE INDEX posts_published ON posts (published, id);
