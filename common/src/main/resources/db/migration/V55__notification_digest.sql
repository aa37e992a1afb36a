-- notification-service (issue 10): one digest email per user per window for uploads that are not explicit
-- sessions. A digest opens when the first such upload of its owner is fully analysed and is sent once due_at
-- has passed; uploads finished meanwhile join it. At most one open digest per owner (partial unique index).
-- The state lives here, not in a notifier's memory, so a restart or another instance sends it.
create table notification_digest (
    id        uuid        primary key,
    owner     text        not null,
    opened_at timestamptz not null default now(),
    due_at    timestamptz not null,
    closed_at timestamptz
);
create unique index notification_digest_open_uq on notification_digest (owner) where closed_at is null;
create index notification_digest_due_idx on notification_digest (due_at) where closed_at is null;

-- explicit_session: the upload was an explicit multi-request session, which keeps its own summary email;
-- digest_id: the digest an upload joined once all its files had an outcome (set once, never changed);
-- traceparent: of the event that completed it, so the digest's FilesNotified continue that trace
alter table notification_upload add column explicit_session boolean not null default false;
alter table notification_upload add column digest_id uuid references notification_digest (id);
alter table notification_upload add column traceparent text;
create index notification_upload_digest_idx on notification_upload (digest_id) where digest_id is not null;
