-- Results API (issue 5): the brief's /api/elements/ over medical_image_result, with versions.
--
-- A row is one version of one element. element_id is the public, stable id (`id` in the API); the row's
-- own primary key `id` stays an internal row id, so that the worker's inserts and upload_file.result_id
-- keep working unchanged. The worker does not need to know these columns: the trigger below fills them.

alter table medical_image_result
    add column element_id text,
    -- 'analysis' for results of uploaded images (the worker's rows), 'api' for POST /api/elements/
    add column source     text    not null default 'analysis',
    add column version    integer not null default 1,
    -- the newest version of its element; older versions stay for history and ?versions=all
    add column latest     boolean not null default true;

update medical_image_result set element_id = id where element_id is null;

-- An analysis of an instance the owner already has (same SOP instance and content, another analyser
-- version, e.g. an admin re-analysis) becomes the next version of that element; older versions stay.
-- The worker inserts with "on conflict do nothing" (any unique index): so this BEFORE trigger changes no
-- other row, and an insert that repeats an analysis already stored is left alone to conflict as before.
create function medical_image_result_version() returns trigger language plpgsql as $$
declare
    previous record;
begin
    if new.element_id is null and new.sop_instance_uid is not null
       and not exists (select 1 from medical_image_result
                        where owner = new.owner and sop_instance_uid = new.sop_instance_uid
                          and sha256 = new.sha256 and analyzer_version = new.analyzer_version) then
        select element_id, version into previous
          from medical_image_result
         where owner = new.owner and sop_instance_uid = new.sop_instance_uid
           and sha256 is not distinct from new.sha256 and latest
         order by version desc
         limit 1;
        if found then
            new.element_id := previous.element_id;
            new.version := previous.version + 1;
        end if;
    end if;
    if new.element_id is null then
        new.element_id := new.id;
    end if;
    return new;
end
$$;

-- only a row that was really inserted demotes the older versions
create function medical_image_result_demote() returns trigger language plpgsql as $$
begin
    update medical_image_result set latest = false
     where element_id = new.element_id and version < new.version and latest;
    return null;
end
$$;

create trigger medical_image_result_version_trg
    before insert on medical_image_result
    for each row execute function medical_image_result_version();

create trigger medical_image_result_demote_trg
    after insert on medical_image_result
    for each row execute function medical_image_result_demote();

alter table medical_image_result alter column element_id set not null;

-- ids are global, as in the brief's model (its id is the primary key): a duplicate is a 409 for anyone
create unique index medical_image_result_element_version_uq on medical_image_result (element_id, version);
create index medical_image_result_element_latest_idx on medical_image_result (element_id) where latest;
create index medical_image_result_latest_owner_idx on medical_image_result (owner, created_date desc) where latest;
