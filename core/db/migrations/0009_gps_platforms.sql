-- Other platforms that push positions to the HTTP intake: one API token each, stored only as its
-- SHA-256 (a token is 32 random bytes, so a plain hash cannot be guessed back).
CREATE TABLE gps_platforms (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL UNIQUE CHECK (name <> ''),
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  enabled      boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
