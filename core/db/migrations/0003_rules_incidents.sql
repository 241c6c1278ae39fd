-- Rules: trip/stop state, incident lifecycle and SLA (issue: rules).
SELECT 1;
