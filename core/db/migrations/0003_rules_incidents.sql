-- Rules: incident lifecycle (transitions, SLA deadlines), ranked vehicle links, camera findings kept
-- for replay, the road direction a camera watches, and time-ordered reads of GPS points for replay.

ALTER TABLE incidents
  ADD COLUMN sla_due_at   timestamptz,              -- deadline of the current lifecycle step
  ADD COLUMN rework_count int NOT NULL DEFAULT 0;
CREATE INDEX incidents_started_idx ON incidents (started_at);
CREATE INDEX incidents_sla_due_idx ON incidents (sla_due_at) WHERE status <> 'closed';

-- Ambiguous camera links keep every candidate; rank 1 is the most likely truck.
ALTER TABLE incident_vehicles ADD COLUMN rank int NOT NULL DEFAULT 1 CHECK (rank >= 1);

-- Every lifecycle step: who moved the case, when, and the deadline that step set.
CREATE TABLE incident_transitions (
  id          bigserial PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  from_status text CHECK (from_status IN
                ('reported','registered','dispatched','handled','verified','closed','rework')),
  to_status   text NOT NULL CHECK (to_status IN
                ('reported','registered','dispatched','handled','verified','closed','rework')),
  at          timestamptz NOT NULL,
  actor       text NOT NULL,                      -- username or process name
  actor_id    bigint REFERENCES users(id),
  note        text,
  due_at      timestamptz
);
CREATE INDEX incident_transitions_incident_idx ON incident_transitions (incident_id, at);

-- Time allowed for each lifecycle step, per incident type (seconds). Admins may edit these rows.
CREATE TABLE incident_sla (
  type       text PRIMARY KEY CHECK (type IN ('dust','uncovered_load','dumping','street_vending',
               'cross_border_dumping','unpermitted_stop','route_deviation','off_hours')),
  register_s int NOT NULL CHECK (register_s > 0),   -- reported   → registered (立案)
  dispatch_s int NOT NULL CHECK (dispatch_s > 0),   -- registered → dispatched (派遣), also after rework
  handle_s   int NOT NULL CHECK (handle_s > 0),     -- dispatched → handled    (处置)
  verify_s   int NOT NULL CHECK (verify_s > 0)      -- handled    → verified   (核查), verified → closed
);
INSERT INTO incident_sla (type, register_s, dispatch_s, handle_s, verify_s) VALUES
  ('dust',                  1800, 1800,  7200, 86400),
  ('uncovered_load',        1800, 1800,  7200, 86400),
  ('dumping',               3600, 3600, 14400, 86400),
  ('street_vending',        3600, 3600,  7200, 86400),
  ('cross_border_dumping',  3600, 3600, 86400, 172800),
  ('unpermitted_stop',      3600, 3600, 14400, 86400),
  ('route_deviation',       7200, 7200, 86400, 172800),
  ('off_hours',             7200, 7200, 86400, 172800);

-- Camera findings the rules consumed, so a stored period replays with exactly the same inputs.
CREATE TABLE rules_camera_events (
  id          bigserial PRIMARY KEY,
  camera_id   bigint NOT NULL REFERENCES cameras(id),
  type        text NOT NULL CHECK (type IN ('dust','uncovered_load','dumping','street_vending')),
  observed_at timestamptz NOT NULL,
  ended_at    timestamptz,
  track_ids   bigint[] NOT NULL DEFAULT '{}',
  confidence  double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (camera_id, type, observed_at)
);
CREATE INDEX rules_camera_events_time_idx ON rules_camera_events (observed_at);

-- The direction of the road a camera watches (either way): a linked truck should drive along it.
ALTER TABLE cameras ADD COLUMN road_heading_deg real
  CHECK (road_heading_deg IS NULL OR (road_heading_deg >= 0 AND road_heading_deg < 360));

-- Replay reads a period of every vehicle's points in time order.
CREATE INDEX gps_points_fix_time_idx ON gps_points (fix_time);
