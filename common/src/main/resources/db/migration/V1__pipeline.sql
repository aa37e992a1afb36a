-- dicomflow schema, shared by the three services; each table names its owner.
-- Every service runs these migrations at start (Flyway locks the schema history), see docs/decisions/0003.

-- upload-service: one row per upload request or upload session
create table upload (
    id          uuid primary key,
    owner       text        not null,
    created_at  timestamptz not null default now()
);
create index upload_owner_idx on upload (owner, created_at desc);

-- upload-service: one row per stored file (rejected files leave no row)
create table upload_file (
    id                  uuid primary key,
    upload_id           uuid        not null references upload (id) on delete cascade,
    owner               text        not null,
    file_name           text,
    state               text        not null,
    state_changed_at    timestamptz not null default now(),
    sop_instance_uid    text        not null,
    sop_class_uid       text,
    study_instance_uid  text        not null,
    series_instance_uid text        not null,
    transfer_syntax_uid text,
    object_key          text        not null,
    sha256              text    not null,
    size_bytes          bigint      not null,
    event_id            uuid        not null,
    result_id           text,
    failure_code        text,
    failure_reason      text
);
create index upload_file_upload_idx on upload_file (upload_id);
create unique index upload_file_event_uq on upload_file (event_id);

-- upload-service: when each file reached each state
create table upload_file_transition (
    file_id uuid        not null references upload_file (id) on delete cascade,
    state   text        not null,
    at      timestamptz not null default now(),
    primary key (file_id, state)
);

-- every publishing service: the transactional outbox
create table outbox_event (
    id              uuid primary key,
    exchange        text        not null,
    routing_key     text        not null,
    payload         bytea       not null,
    headers         jsonb       not null,
    created_at      timestamptz not null,
    next_attempt_at timestamptz not null,
    published_at    timestamptz,
    attempts        integer     not null default 0,
    last_error      text
);
create index outbox_event_pending_idx on outbox_event (created_at) where published_at is null;

-- every consuming service: events already acted on
create table consumed_event (
    consumer    text        not null,
    event_id    uuid        not null,
    consumed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);

-- analysis-worker: the brief's MedicalImageResult (Task 4) plus owner, instance reference and wider figures
create table medical_image_result (
    id                           text primary key,
    owner                        text             not null,
    device_name                  text             not null default '',
    average_before_normalization double precision not null,
    average_after_normalization  double precision not null,
    data_size                    bigint           not null,
    raw_data                     jsonb            not null,
    created_date                 timestamptz      not null default now(),
    updated_date                 timestamptz      not null default now(),
    upload_id                    uuid,
    file_id                      uuid,
    sop_instance_uid             text,
    sha256                       text,
    analyzer_version             text             not null,
    min_value                    double precision,
    max_value                    double precision,
    std_value                    double precision
);
-- idempotent analysis: one result per owner, instance, content and analyser version
create unique index medical_image_result_instance_uq
    on medical_image_result (owner, sop_instance_uid, sha256, analyzer_version) where sop_instance_uid is not null;
create index medical_image_result_owner_idx on medical_image_result (owner, created_date desc);

-- notification-service: emails sent, keyed so a redelivered event never sends twice
create table notification_email_log (
    send_key   text primary key,
    recipient  text        not null,
    sent_at    timestamptz not null default now()
);
