-- Fleet registry rows say when they last changed (admin pages, CSV import reports).
ALTER TABLE companies ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE vehicles ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE terminals ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
