-- The language a post is written in (ISO 639), as the author's app or peer says.
ALTER TABLE posts ADD COLUMN language TEXT;
