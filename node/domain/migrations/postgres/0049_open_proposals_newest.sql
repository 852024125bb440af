-- `/hulp` without a kind lists open needs and offers together, newest first: one walk of
-- this index (issue 18) instead of one per kind and a merge of twice the rows.
CREATE INDEX proposals_open_newest ON proposals (state, post_id);
