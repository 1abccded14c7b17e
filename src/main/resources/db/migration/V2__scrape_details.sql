-- What else one apiserver scrape says, per sample (rows go with their sample).

-- DB size per etcd endpoint / storage cluster; the sample's db_size_bytes is the largest.
create table etcd_member_size (
    sample_id     bigint       not null references etcd_sample (id) on delete cascade,
    member        varchar(512) not null,
    db_size_bytes bigint,
    primary key (sample_id, member)
);

-- apiserver_resource_size_estimate_bytes (1.34+); null = -1, unknown.
alter table etcd_object_count add column size_estimate_bytes bigint;

-- apiserver_flowcontrol_rejected_requests_total: a counter; rates come from two samples.
create table apf_rejection (
    sample_id      bigint       not null references etcd_sample (id) on delete cascade,
    flow_schema    varchar(253) not null,
    priority_level varchar(253) not null,
    reason         varchar(64)  not null,
    total          double precision not null,
    primary key (sample_id, flow_schema, priority_level, reason)
);

-- apiserver_request_total summed per verb, resource and code class: a counter.
create table request_count (
    sample_id  bigint       not null references etcd_sample (id) on delete cascade,
    verb       varchar(32)  not null,
    resource   varchar(512) not null,
    code_class integer      not null,
    total      double precision not null,
    primary key (sample_id, verb, resource, code_class)
);
