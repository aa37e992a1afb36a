-- upload-service (issues 11 and 12): per-owner object keys and an atomic claim of each key before it is written
-- (docs/decisions/0011-per-owner-keys-and-instance-claims.md).

-- one row per object key, inserted and committed before the object is PUT: the insert that wins the primary key
-- is the one upload allowed to write the key; every other upload of that key reads the row and answers
-- DUPLICATE (same sha256) or CONFLICT (other bytes). CLAIMED while the winner writes, STORED once its file row
-- is committed (in the same transaction). A CLAIMED row older than the claim timeout belongs to a process that
-- died and may be taken over (the update checks state and age, so only one upload takes it).
create table instance_claim (
    object_key text        primary key,
    owner      text        not null,
    sha256     text        not null,
    state      text        not null check (state in ('CLAIMED', 'STORED')),
    -- which upload holds the claim: a holder that lost it to a takeover must not mark or release it
    claim_id   uuid        not null,
    claimed_at timestamptz not null default now()
);

-- analysis-worker: the key of the analysed object. Keys now depend on the owner and are no longer derivable
-- from the UIDs alone, so a re-analysis reads the key recorded here; results analysed before this migration
-- get the key of their file (the only place it was recorded).
alter table medical_image_result add column object_key text;
update medical_image_result r set object_key = f.object_key from upload_file f where r.file_id = f.id;
