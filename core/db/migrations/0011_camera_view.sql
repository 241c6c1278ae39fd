-- Where in a camera's picture a finding sits, and how wide the camera sees: with the camera's
-- position and heading this tells which of two trucks in view a finding belongs to.
ALTER TABLE cameras ADD COLUMN hfov_deg real NOT NULL DEFAULT 60
  CHECK (hfov_deg > 0 AND hfov_deg < 180);
-- Centre of the finding's box across the picture: 0 = left edge, 1 = right edge.
ALTER TABLE rules_camera_events ADD COLUMN image_x real
  CHECK (image_x IS NULL OR (image_x >= 0 AND image_x <= 1));
