-- upload-service: every file a session received and kept (ACCEPTED, or DUPLICATE of an earlier copy), so that a
-- commit can check the declared files against what arrived, whichever request brought them
create table upload_session_received (
    upload_id  uuid        not null references upload (id) on delete cascade,
    file_id    uuid        not null,
    file_name  text,
    sha256     text        not null,
    outcome    text        not null,
    received_at timestamptz not null default now(),
    primary key (upload_id, file_id)
);
