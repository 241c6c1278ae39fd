-- Which devices an HTTP-intake platform may push positions for: either every device
-- (all_devices) or the registered vehicles of the transport companies it is bound to.
-- Platforms that exist already keep working (all devices); new ones start bound to no company.
ALTER TABLE gps_platforms ADD COLUMN all_devices boolean NOT NULL DEFAULT false;
UPDATE gps_platforms SET all_devices = true;

CREATE TABLE gps_platform_companies (
  platform_id bigint NOT NULL REFERENCES gps_platforms(id) ON DELETE CASCADE,
  -- No cascade: a company a platform reports for is not removed behind the platform's back.
  company_id  bigint NOT NULL REFERENCES companies(id),
  PRIMARY KEY (platform_id, company_id)
);
CREATE INDEX gps_platform_companies_company_idx ON gps_platform_companies (company_id);

-- Positions a platform sent for a device outside its scope are kept for review, like filter refusals.
ALTER TABLE gps_quarantine DROP CONSTRAINT gps_quarantine_reason_check;
ALTER TABLE gps_quarantine ADD CONSTRAINT gps_quarantine_reason_check
  CHECK (reason IN ('invalid_fix','zero_coordinates','out_of_range','duplicate','out_of_order','future',
                    'too_old','impossible_jump','device_not_allowed'));
