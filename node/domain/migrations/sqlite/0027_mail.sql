-- E-mail (issue 13): what a member chose (off, each notification, a daily digest), in which
-- language, the random token that turns it off without logging in, and how far their
-- notifications were mailed; the mails waiting to go out (and those sent or given up);
-- the event reminders that went out (once per member, event and start time); and the
-- coordinators' answers to "Vraag het ons".
CREATE TABLE mail_choices (
    member_id BIGINT PRIMARY KEY REFERENCES actors (id),
    mode TEXT NOT NULL,
    language TEXT NOT NULL,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    mailed_up_to BIGINT NOT NULL,
    last_digest_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE mail_queue (
    id INTEGER PRIMARY KEY,
    member_id BIGINT REFERENCES actors (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    unsubscribe_url TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    sent_at BIGINT,
    gave_up_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
CREATE TABLE mail_reminders (
    member_id BIGINT NOT NULL REFERENCES actors (id),
    event_post_id BIGINT NOT NULL REFERENCES posts (id),
    starts_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (member_id, event_post_id, starts_at)
);
ALTER TABLE questions ADD COLUMN answer TEXT;
ALTER TABLE questions ADD COLUMN answered_at BIGINT;
ALTER TABLE questions ADD COLUMN answered_by BIGINT REFERENCES actors (id);
ALTER TABLE questions ADD COLUMN answer_mailed BOOLEAN NOT NULL DEFAULT FALSE;
