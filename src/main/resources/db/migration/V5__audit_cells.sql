-- Audit rollup cells, one row per cluster, minute and part holding every cell of the minute
-- (history.CellBlob): a busy cluster has hundreds of series a minute, and a row per series and
-- minute (audit_minute) made the database most of the cost of ingestion. A batch that adds to a
-- minute already stored appends a part rather than rewriting the minute; a minute's parts are
-- merged into one once they pile up. Rows left in audit_minute by an older version are moved here
-- by the application on its first use of the table (AuditRollupStore).
create table audit_cells (
    cluster   varchar(63) not null,
    at_minute timestamp with time zone not null,
    part      integer     not null,
    cells     bytea       not null,
    primary key (cluster, at_minute, part)
);
create index audit_cells_by_minute on audit_cells (at_minute);

-- Requests waiting for their ResponseComplete, as a log: one row per batch with the requests it
-- added and the keys of those it resolved (history.PendingBlob), replayed in seq order after a
-- restart and folded into one row once rows pile up. Rows left in audit_pending by an older
-- version are read first and go at the first fold.
create table audit_pending_log (
    cluster  varchar(63) not null,
    seq      bigint      not null,
    added    bytea       not null,
    resolved bytea       not null,
    primary key (cluster, seq)
);
