-- A delivery's signed activity is kept once per activity, not once in each of its delivery
-- rows (issue 18): a post to 59 peers held its 2.9 KB body 59 times, and a burst of 600 posts
-- grew the database to 160 MB. A delivery finds its body by its outbox entry and activity id
-- (an activity's id names one activity). The bodies of pending and failed deliveries (the
-- administrator may try failed ones again) move over; delivered ones are never sent again.
-- Housekeeping deletes a body once no delivery of its activity is left.
CREATE TABLE delivery_bodies (
    outbox_id BIGINT NOT NULL REFERENCES outbox (id),
    activity_ap_id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (outbox_id, activity_ap_id)
);
INSERT INTO delivery_bodies (outbox_id, activity_ap_id, body)
    SELECT outbox_id, activity_ap_id, MIN(body) FROM deliveries WHERE state <> 'delivered' GROUP BY outbox_id, activity_ap_id;
ALTER TABLE deliveries DROP COLUMN body;
