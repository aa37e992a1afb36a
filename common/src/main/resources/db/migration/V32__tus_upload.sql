-- upload-service: tus 1.0 resumable uploads in progress (bytes spooled on the service's disk until complete)
create table tus_upload (
    id           uuid primary key,
    owner        text        not null,
    length       bigint      not null,
    upload_offset bigint     not null default 0,
    file_name    text,
    spool_path   text        not null,
    created_at   timestamptz not null default now(),
    completed_at timestamptz,
    outcome      jsonb
);
