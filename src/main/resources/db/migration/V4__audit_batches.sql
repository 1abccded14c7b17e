-- Webhook batches already stored, by SHA-256 of the body: the apiserver resends a batch whose
-- answer it did not get, byte for byte, and after a restart nothing in memory remembers it.
-- Written in the batch's own transaction; kept two days.
create table audit_batch (
    cluster     varchar(63) not null,
    digest      varchar(64) not null,
    received_at timestamp with time zone not null,
    events      bigint      not null,
    primary key (cluster, digest)
);
create index audit_batch_by_time on audit_batch (received_at);
