-- Console: photos taken by enforcement officers while handling a case are evidence too
-- (kind 'snapshot' without a camera); captured_by names the officer who uploaded them.
ALTER TABLE evidence ADD COLUMN captured_by bigint REFERENCES users(id);
