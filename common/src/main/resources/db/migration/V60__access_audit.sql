-- security/privacy (issue 12): the access audit trail. Every service writes it (AccessAuditFilter in common),
-- the upload-service's admin API reads it. One row per request to a route that reads or changes patient data
-- (uploads, results/elements, images through DICOMweb, admin routes): who, what, which resource, the answer,
-- from where. Never patient values: the route is the matched pattern (no query string, which may hold
-- QIDO matching keys such as PatientName), the resource id is the one in the path (a UUID, element id or UID).
create table access_audit (
    id             bigserial   primary key,
    occurred_at    timestamptz not null default now(),
    service        text        not null,
    subject        text        not null,
    action         text        not null check (action in ('READ', 'CREATE', 'UPDATE', 'DELETE')),
    resource_type  text        not null,
    resource_id    text,
    outcome        text        not null check (outcome in ('ALLOWED', 'DENIED', 'MISSING', 'REFUSED', 'FAILED')),
    status         integer     not null,
    method         text        not null,
    route          text        not null,
    remote_address text
);
create index access_audit_subject_idx on access_audit (subject, occurred_at);
create index access_audit_resource_idx on access_audit (resource_id, occurred_at);
create index access_audit_time_idx on access_audit (occurred_at);

-- append-only: what happened cannot be rewritten or erased by the application (nor by anyone short of
-- dropping the trigger, which needs the table owner; docs/security.md says to run the services as a role
-- that does not own the schema and to revoke UPDATE, DELETE, TRUNCATE on this table from it)
create function access_audit_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'access_audit is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger access_audit_no_update_or_delete before update or delete on access_audit
    for each row execute function access_audit_append_only();
create trigger access_audit_no_truncate before truncate on access_audit
    for each statement execute function access_audit_append_only();
