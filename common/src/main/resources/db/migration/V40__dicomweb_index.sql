-- upload-service (DICOMweb): the attributes QIDO-RS matches and returns, one row per owner and instance.
-- Filled in the transaction that records the file (StoredInstanceListener), so the index never lists an
-- instance that is not stored. A re-upload of the same instance by the same owner keeps the first row.
create table dicomweb_instance (
    file_id              uuid primary key references upload_file (id) on delete cascade,
    owner                text        not null,
    study_instance_uid   text        not null,
    series_instance_uid  text        not null,
    sop_instance_uid     text        not null,
    sop_class_uid        text        not null,
    transfer_syntax_uid  text,
    object_key           text        not null,
    size_bytes           bigint      not null,
    stored_at            timestamptz not null default now(),
    -- patient and study level (as in the stored instance; the first instance of a study speaks for it)
    patient_id           text,
    patient_name         text,
    patient_birth_date   text,
    patient_sex          text,
    study_date           text,
    study_time           text,
    accession_number     text,
    referring_physician  text,
    study_id             text,
    study_description    text,
    -- series level
    modality             text,
    series_number        integer,
    series_description   text,
    -- instance level
    instance_number      integer,
    number_of_frames     integer,
    image_rows           integer,
    image_columns        integer
);
create unique index dicomweb_instance_owner_sop_uq on dicomweb_instance (owner, sop_instance_uid);
create index dicomweb_instance_owner_study_idx on dicomweb_instance (owner, study_instance_uid, series_instance_uid);
create index dicomweb_instance_study_idx on dicomweb_instance (study_instance_uid, series_instance_uid);
create index dicomweb_instance_patient_idx on dicomweb_instance (patient_id);
create index dicomweb_instance_date_idx on dicomweb_instance (study_date);
