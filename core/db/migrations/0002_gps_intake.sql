-- GPS intake: points the filters refused, kept with the reason (never silently dropped).
CREATE TABLE gps_quarantine (
  id          bigserial PRIMARY KEY,
  device_id   text NOT NULL,
  vehicle_id  bigint,
  fix_time    timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  reason      text NOT NULL CHECK (reason IN ('invalid_fix','zero_coordinates','out_of_range','duplicate',
                'out_of_order','future','too_old','impossible_jump')),
  detail      text,
  source      text NOT NULL CHECK (source IN ('jt808','http','replay')),
  lon         double precision,
  lat         double precision,
  point       jsonb NOT NULL                      -- the point as received, for review or re-import
);
CREATE INDEX gps_quarantine_device_time_idx ON gps_quarantine (device_id, fix_time);
CREATE INDEX gps_quarantine_reason_idx ON gps_quarantine (reason, received_at DESC);

-- Terminals that registered over JT/T 808 are looked up by their phone number without the
-- zero padding the 2013 (12 digits) and 2019 (20 digits) headers add.
CREATE INDEX terminals_terminal_id_trim_idx ON terminals (ltrim(terminal_id, '0'));
