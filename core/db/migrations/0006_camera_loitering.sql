-- How long a vending stall may stand in one of the camera's no-vending zones before it is a case.
ALTER TABLE cameras ADD COLUMN loitering_s int NOT NULL DEFAULT 300 CHECK (loitering_s BETWEEN 1 AND 86400);
