-- Handing an initiative over to another node (issue 17): each member chooses whether she
-- moves along when her initiative moves. Nobody moves along who did not say so.
ALTER TABLE accounts ADD COLUMN moves_along BOOLEAN NOT NULL DEFAULT FALSE;
