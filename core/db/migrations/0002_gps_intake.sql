-- GPS intake: quarantine, ingest bookkeeping (issue: GPS gateway).
SELECT 1;
