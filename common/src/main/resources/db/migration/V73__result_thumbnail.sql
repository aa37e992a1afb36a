-- The analysed image's thumbnail (issue 15: the portal's result page shows it). ThumbnailRenderer already
-- renders it during analysis; it is kept next to its result row, in a side table so that the Results API's
-- list and filter queries over medical_image_result never read image bytes. ON DELETE CASCADE: whatever deletes
-- a result (DELETE /api/elements/{id}/, erasure of an upload or a user) deletes its thumbnail too.
create table medical_image_result_thumbnail (
    result_id text    primary key references medical_image_result (id) on delete cascade,
    width     integer not null check (width > 0),
    height    integer not null check (height > 0),
    -- a thumbnail is a few KiB; the worker refuses larger ones, this is the last guard (256 KiB)
    png       bytea   not null check (octet_length(png) between 1 and 262144)
);
