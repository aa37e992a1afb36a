-- Results API: element ids are per owner (issue 12). A global id let anyone learn that another user has an
-- element of a given id (409) and take ids before their owner could (squatting). Now two owners may each have
-- an element "ct-1"; another owner's id answers as missing, as every other resource does.
drop index medical_image_result_element_version_uq;
create unique index medical_image_result_owner_element_version_uq
    on medical_image_result (owner, element_id, version);

drop index medical_image_result_element_latest_idx;
create index medical_image_result_owner_element_latest_idx on medical_image_result (owner, element_id) where latest;

-- only the owner's older versions of the element are demoted
create or replace function medical_image_result_demote() returns trigger language plpgsql as $$
begin
    update medical_image_result set latest = false
     where owner = new.owner and element_id = new.element_id and version < new.version and latest;
    return null;
end
$$;
