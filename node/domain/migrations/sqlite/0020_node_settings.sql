-- Settings the node's administrators change on the web pages (name, description, rules,
-- how people sign up); the config file gives the defaults.
CREATE TABLE node_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
