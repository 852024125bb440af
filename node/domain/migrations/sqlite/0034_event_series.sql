-- Issue 16 item 2: repeating events. The organiser's node keeps the series (the rule, its
-- first date in local time, the skipped dates); every date in the coming weeks is an event
-- (a post) of its own, published ahead by housekeeping, so peers see single dates.
CREATE TABLE event_series (
    id INTEGER PRIMARY KEY,
    author_id BIGINT NOT NULL REFERENCES actors (id),
    -- The first date's event: title, text, place, capacity and questions are copied from it.
    template_post_id BIGINT NOT NULL REFERENCES posts (id),
    repeat TEXT NOT NULL,
    until_date TEXT,
    repeat_count INTEGER,
    -- The first start as local wall-clock time, 'YYYY-MM-DD HH:MM', in timezone.
    first_local TEXT NOT NULL,
    timezone TEXT NOT NULL,
    duration_ms BIGINT,
    stopped BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
-- The dates of a series by the local date they were planned on (still their key after a
-- move): the event once published, or skipped.
CREATE TABLE event_series_dates (
    series_id BIGINT NOT NULL REFERENCES event_series (id),
    planned_date TEXT NOT NULL,
    post_id BIGINT REFERENCES posts (id),
    skipped BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (series_id, planned_date)
);
CREATE INDEX event_series_dates_post ON event_series_dates (post_id);
