-- Camera recordings: the on-disk ring buffer's index, its gaps, and holds that retention honours.

CREATE TABLE recording_segments (
  id          bigserial PRIMARY KEY,
  camera_id   bigint NOT NULL REFERENCES cameras(id),
  node_id     text NOT NULL,                 -- the pipeline node whose disk holds the file
  path        text NOT NULL UNIQUE,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at >= starts_at),
  bytes       bigint NOT NULL CHECK (bytes >= 0),
  lease_token bigint NOT NULL,               -- fencing token of the lease it was recorded under
  deleted_at  timestamptz
);
CREATE INDEX recording_segments_range_idx ON recording_segments (camera_id, starts_at, ends_at)
  WHERE deleted_at IS NULL;

-- Gaps are recorded, never silent: stream down, stall, restart, node change.
CREATE TABLE recording_gaps (
  id         bigserial PRIMARY KEY,
  camera_id  bigint NOT NULL REFERENCES cameras(id),
  starts_at  timestamptz NOT NULL,
  ends_at    timestamptz,                    -- NULL while the gap is still open
  cause      text NOT NULL
);
CREATE INDEX recording_gaps_range_idx ON recording_gaps (camera_id, starts_at);

-- A time range retention must keep: evidence references and legal holds.
CREATE TABLE recording_holds (
  id          bigserial PRIMARY KEY,
  camera_id   bigint NOT NULL REFERENCES cameras(id),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at >= starts_at),
  reason      text NOT NULL,
  incident_id bigint REFERENCES incidents(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recording_holds_range_idx ON recording_holds (camera_id, starts_at, ends_at);
