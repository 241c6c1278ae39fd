-- An enforcement team covers one or more districts (jurisdiction codes) besides its home district,
-- and says when an admin last changed it.
ALTER TABLE teams ADD COLUMN districts text[] NOT NULL DEFAULT '{}';
ALTER TABLE teams ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
