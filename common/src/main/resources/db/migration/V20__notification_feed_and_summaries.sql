-- notification-service: the per-user event feed. One head row per user holds the last sequence number; an
-- event is added by locking the head row, so numbers are handed out one at a time per user and a rolled-back
-- insert gives its number back (no gaps). Each event is in the feed once.
create table notification_feed_head (
    owner    text   primary key,
    last_seq bigint not null
);

create table notification_feed (
    owner          text        not null,
    seq            bigint      not null,
    event_id       uuid        not null,
    type           text        not null,
    correlation_id text,
    payload        jsonb       not null,
    occurred_at    timestamptz not null,
    recorded_at    timestamptz not null default now(),
    primary key (owner, seq)
);
create unique index notification_feed_event_uq on notification_feed (event_id);

-- notification-service: what the summary email of an upload needs to know. files_known turns true with
-- UploadCompleted (the list of files); the summary goes out once every listed file has an outcome.
create table notification_upload (
    upload_id   uuid        primary key,
    owner       text        not null,
    files_known boolean     not null default false,
    accepted_at timestamptz
);

create table notification_upload_file (
    upload_id        uuid not null references notification_upload (upload_id) on delete cascade,
    file_id          uuid not null,
    outcome          text,
    sop_instance_uid text,
    result_id        text,
    device_name      text,
    data_size        bigint,
    average_before   double precision,
    average_after    double precision,
    reason_code      text,
    reason           text,
    primary key (upload_id, file_id)
);

-- notification-service: per-user choices; no row means the defaults (email on)
create table notification_preference (
    owner         text        primary key,
    email_enabled boolean     not null,
    updated_at    timestamptz not null default now()
);

-- the send log also records emails deliberately not sent (opt-out), so they are not reconsidered
alter table notification_email_log add column outcome text not null default 'SENT';
