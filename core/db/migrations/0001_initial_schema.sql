-- MuckWatch initial schema. PostGIS lives in `public`; these tables live in the configured schema.
-- Geometry is EPSG:4326 (lon/lat). Distances are computed on geography.

CREATE TABLE roles (
  name        text PRIMARY KEY,
  description text NOT NULL
);
INSERT INTO roles (name, description) VALUES
  ('operator',    'Monitoring-center operator: live alerts, map, camera wall'),
  ('enforcement', 'Enforcement officer: dispatched cases'),
  ('auditor',     'Auditor: evidence replay, verification, export'),
  ('admin',       'Administrator: cameras, zones, fleet, users');

CREATE TABLE zones (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN
                ('jurisdiction','construction_site','disposal_site','approved_route','no_vending','restricted')),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  parent_code text,
  -- approved_route: a LineString corridor of width_m; every other kind: (Multi)Polygon
  geom        geometry(Geometry, 4326) NOT NULL CHECK (NOT ST_IsEmpty(geom)),
  width_m     real CHECK (width_m IS NULL OR width_m > 0),
  -- e.g. {"tz":"Asia/Shanghai","windows":[{"days":[1,2,3,4,5],"from":"07:00","to":"19:00"}]}
  schedule    jsonb,
  properties  jsonb NOT NULL DEFAULT '{}'::jsonb,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'approved_route' OR width_m IS NOT NULL)
);
CREATE INDEX zones_geom_gix ON zones USING gist (geom);
CREATE INDEX zones_kind_idx ON zones (kind) WHERE active;

CREATE TABLE companies (
  id                bigserial PRIMARY KEY,
  name              text NOT NULL UNIQUE,
  license_no        text,
  contact           text,
  jurisdiction_code text,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vehicles (
  id                bigserial PRIMARY KEY,
  plate             text NOT NULL UNIQUE,
  company_id        bigint REFERENCES companies(id),
  permit_no         text,
  permit_valid_from date,
  permit_valid_to   date,
  approved_route_id bigint REFERENCES zones(id),
  -- e.g. {"tz":"Asia/Shanghai","windows":[{"from":"22:00","to":"06:00"}]}
  permitted_hours   jsonb,
  load_sensor       boolean NOT NULL DEFAULT false,
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE terminals (
  id               bigserial PRIMARY KEY,
  terminal_id      text NOT NULL UNIQUE,          -- JT/T 808 terminal phone number (BCD digits)
  protocol_version text NOT NULL DEFAULT '2013' CHECK (protocol_version IN ('2013','2019')),
  auth_code        text,
  vehicle_id       bigint UNIQUE REFERENCES vehicles(id),
  manufacturer     text,
  model            text,
  registered_at    timestamptz,
  last_seen_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- GPS fixes, partitioned by fix time (monthly partitions made by ensure_gps_points_partition).
CREATE TABLE gps_points (
  device_id   text NOT NULL,                      -- terminal id or HTTP device id
  vehicle_id  bigint,
  fix_time    timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  geom        geometry(Point, 4326) NOT NULL,
  speed_kmh   real,
  heading_deg real,
  altitude_m  real,
  alarm_bits  bigint NOT NULL DEFAULT 0,
  status_bits bigint NOT NULL DEFAULT 0,
  load_state  text CHECK (load_state IN ('empty','half','full')),
  source      text NOT NULL CHECK (source IN ('jt808','http','replay')),
  extra       jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (device_id, fix_time)
) PARTITION BY RANGE (fix_time);
CREATE TABLE gps_points_default PARTITION OF gps_points DEFAULT;
CREATE INDEX gps_points_vehicle_time_idx ON gps_points (vehicle_id, fix_time);
CREATE INDEX gps_points_geom_gix ON gps_points USING gist (geom);

CREATE FUNCTION ensure_gps_points_partition(month_start date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', month_start)::date;
  part text := format('gps_points_%s', to_char(m, 'YYYYMM'));
BEGIN
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I PARTITION OF %I.gps_points FOR VALUES FROM (%L) TO (%L)',
                 current_schema(), part, current_schema(), m, (m + interval '1 month')::date);
  RETURN part;
END $$;

CREATE TABLE cameras (
  id                bigserial PRIMARY KEY,
  code              text NOT NULL UNIQUE,
  name              text NOT NULL,
  rtsp_main_url     text NOT NULL,
  rtsp_sub_url      text,
  transport         text NOT NULL DEFAULT 'tcp' CHECK (transport IN ('tcp','udp')),
  credentials_enc   bytea,                        -- encrypted at rest
  position          geometry(Point, 4326),
  heading_deg       real CHECK (heading_deg IS NULL OR (heading_deg >= 0 AND heading_deg < 360)),
  footprint         geometry(Polygon, 4326),      -- ground area the camera sees (detection <-> truck link)
  detect_fps        real NOT NULL DEFAULT 5 CHECK (detect_fps > 0),
  detect_width      int NOT NULL DEFAULT 640,
  detect_height     int NOT NULL DEFAULT 640,
  model             text,
  image_zones       jsonb NOT NULL DEFAULT '[]'::jsonb,   -- polygons drawn on the image
  jurisdiction_code text,
  enabled           boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cameras_footprint_gix ON cameras USING gist (footprint);

CREATE TABLE detections (
  id          bigserial PRIMARY KEY,
  camera_id   bigint NOT NULL REFERENCES cameras(id),
  frame_time  timestamptz NOT NULL,
  frame_seq   bigint,
  class       text NOT NULL,
  confidence  real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  box_x       real NOT NULL,
  box_y       real NOT NULL,
  box_w       real NOT NULL,
  box_h       real NOT NULL,
  track_id    bigint,
  model       text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX detections_camera_time_idx ON detections (camera_id, frame_time);

CREATE TABLE teams (
  id                bigserial PRIMARY KEY,
  name              text NOT NULL UNIQUE,
  jurisdiction_code text,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id                bigserial PRIMARY KEY,
  username          text NOT NULL UNIQUE,
  display_name      text NOT NULL,
  password_hash     text NOT NULL,
  role              text NOT NULL REFERENCES roles(name),
  jurisdiction_code text,                         -- NULL = city level (sees every district)
  team_id           bigint REFERENCES teams(id),
  disabled          boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE incidents (
  id                bigserial PRIMARY KEY,
  type              text NOT NULL CHECK (type IN ('dust','uncovered_load','dumping','street_vending',
                      'cross_border_dumping','unpermitted_stop','route_deviation','off_hours')),
  status            text NOT NULL DEFAULT 'reported' CHECK (status IN
                      ('reported','registered','dispatched','handled','verified','closed','rework')),
  dedupe_key        text NOT NULL UNIQUE,         -- makes rule outputs idempotent (exactly once)
  camera_id         bigint REFERENCES cameras(id),
  jurisdiction_code text,
  location          geometry(Point, 4326),
  started_at        timestamptz NOT NULL,
  ended_at          timestamptz,
  explanation       jsonb NOT NULL DEFAULT '{}'::jsonb,  -- why it fired: thresholds, zones, evidence
  reported_at       timestamptz NOT NULL DEFAULT now(),
  registered_at     timestamptz,
  dispatched_at     timestamptz,
  handled_at        timestamptz,
  verified_at       timestamptz,
  closed_at         timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_status_idx ON incidents (status, reported_at DESC);
CREATE INDEX incidents_location_gix ON incidents USING gist (location);

CREATE TABLE incident_vehicles (
  incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  vehicle_id  bigint NOT NULL REFERENCES vehicles(id),
  confidence  real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  reason      text NOT NULL,
  PRIMARY KEY (incident_id, vehicle_id)
);

CREATE TABLE dispatches (
  id            bigserial PRIMARY KEY,
  incident_id   bigint NOT NULL REFERENCES incidents(id),
  team_id       bigint NOT NULL REFERENCES teams(id),
  dispatched_by bigint REFERENCES users(id),
  dispatched_at timestamptz NOT NULL DEFAULT now(),
  due_at        timestamptz,
  accepted_at   timestamptz,
  handled_at    timestamptz,
  result        text,
  notes         text
);
CREATE INDEX dispatches_incident_idx ON dispatches (incident_id);

CREATE TABLE evidence (
  id            bigserial PRIMARY KEY,
  incident_id   bigint NOT NULL REFERENCES incidents(id),
  kind          text NOT NULL CHECK (kind IN ('clip','snapshot','track','export')),
  status        text NOT NULL DEFAULT 'ready' CHECK (status IN ('pending','ready','missing','deleted')),
  sha256        char(64) CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes    bigint,
  duration_s    real,
  codec         text,
  camera_id     bigint REFERENCES cameras(id),
  range_start   timestamptz,
  range_end     timestamptz,
  missing_reason text,
  legal_hold    boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz,
  CHECK (status <> 'ready' OR sha256 IS NOT NULL),
  CHECK (status <> 'missing' OR missing_reason IS NOT NULL)
);
CREATE INDEX evidence_incident_idx ON evidence (incident_id);

-- Append-only, hash-chained: each row carries the hash of the previous one.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    bigint REFERENCES users(id),
  actor       text NOT NULL,                      -- username or process name
  action      text NOT NULL,
  target_type text NOT NULL,
  target_id   text,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash   char(64) NOT NULL,
  hash        char(64) NOT NULL UNIQUE
);
