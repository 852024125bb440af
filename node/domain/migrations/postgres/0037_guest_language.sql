-- Issue 16: a guest hears about her event in the language she signed up in.
ALTER TABLE event_guests ADD COLUMN language TEXT NOT NULL DEFAULT 'nl';
