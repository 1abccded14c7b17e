-- The first offending input of each reason, per cluster, hour, origin and outcome, for the
-- data-quality panel: the refused or repaired event's text, escaped and cut to 200 characters by the
-- parser (analysis.audit.InputSample). Set when the row is created and kept after; null for 'kept'
-- rows and for rows written before this version. Portable SQL: runs on H2 and PostgreSQL alike.
alter table audit_input add column sample varchar(256);
