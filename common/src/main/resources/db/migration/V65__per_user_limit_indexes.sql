-- upload-service: per-user limits read by owner. The caps on incomplete tus uploads (count, declared bytes) and
-- their expiry read the incomplete rows by owner and by age
create index tus_upload_incomplete_owner on tus_upload (owner) where outcome is null;
create index tus_upload_incomplete_created on tus_upload (created_at) where outcome is null;

-- upload-service: an owner's quota counts the bytes kept in quarantine for them
create index quarantined_file_owner_idx on quarantined_file (owner);
