-- Who a need was posted for, when a coordinator posts on behalf of a resident: known to this
-- node only, never federated.
ALTER TABLE proposals ADD COLUMN resident TEXT;
-- The scope an initiative's needs get unless the author chooses another.
ALTER TABLE actors ADD COLUMN default_need_visibility TEXT NOT NULL DEFAULT 'coalition';
