-- upload-service (issue 4, ingest): upload sessions, duplicate look-ups, quota, quarantine, idempotency keys.

-- an upload is a session: OPEN while files arrive, COMMITTED once its UploadCompleted event is written
-- (a plain multi-file POST is an implicit session committed at the end of its request)
alter table upload add column state text not null default 'COMMITTED';
alter table upload add column declared_files integer;
alter table upload add column committed_at timestamptz;

-- the files a session's client declared it will send (name and SHA-256 both optional)
create table upload_declared_file (
    upload_id uuid    not null references upload (id) on delete cascade,
    position  integer not null,
    file_name text,
    sha256    text,
    primary key (upload_id, position)
);

-- DUPLICATE look-up (same owner, same instance, same bytes) and per-owner quota sums
create index upload_file_owner_sop_idx on upload_file (owner, sop_instance_uid);

-- files that failed a content rule under the quarantine policy: kept aside, never analysed
create table quarantined_file (
    id               uuid primary key,
    owner            text        not null,
    upload_id        uuid,
    file_name        text,
    object_key       text        not null,
    sha256           text        not null,
    size_bytes       bigint      not null,
    reason_code      text        not null,
    reason_attribute text,
    reason_text      text        not null,
    created_at       timestamptz not null default now()
);
create index quarantined_file_created_idx on quarantined_file (created_at desc);

-- Idempotency-Key: the first answer to (owner, key) is replayed to retries
create table idempotency_record (
    owner           text        not null,
    idempotency_key text        not null,
    status          integer,
    response        jsonb,
    created_at      timestamptz not null default now(),
    primary key (owner, idempotency_key)
);
