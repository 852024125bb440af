-- How to reach an initiative (set by its coordinators, shown to everyone on its page), and
-- "Vraag het ons": questions from people without an account, for the initiative's
-- coordinators only. Neither is ever sent to another node.
CREATE TABLE initiative_contacts (
    initiative_id BIGINT PRIMARY KEY REFERENCES actors (id),
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    walk_in_hours TEXT NOT NULL,
    contact_text TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    initiative_id BIGINT NOT NULL REFERENCES actors (id),
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    question TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by BIGINT REFERENCES actors (id),
    need_post_id BIGINT REFERENCES posts (id)
);
CREATE INDEX questions_initiative ON questions (initiative_id, id);
