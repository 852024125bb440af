-- Coordinators mark reports as handled (by whom, when).
ALTER TABLE reports ADD COLUMN handled_at BIGINT;
ALTER TABLE reports ADD COLUMN handled_by BIGINT REFERENCES actors (id);
