package io.dicomflow.upload.upload;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the ingest.
 *
 * @param maxFiles most files in one request (the multipart parser refuses more with 413)
 * @param maxFileSize largest file on any route; larger ones are {@code FILE_TOO_LARGE}
 * @param quotaPerUser most bytes one owner may have stored; {@code 0} for no quota
 * @param claimTimeout how long a claim on an object key may stay unfinished before another upload may take it
 * over (its holder is presumed dead); must exceed the longest store of one file (docs/decisions/0011)
 * @param claimWait how long an upload of a key another upload is still storing waits for that upload to finish,
 * so it can answer {@code DUPLICATE} or {@code CONFLICT}; after that it answers {@code STORE_FAILED} (try again)
 * @param spoolMemoryPerRequest heap one {@code POST /api/uploads} may use to hold its files instead of temporary
 * files
 * @param spoolMemoryTotal heap all such requests together may use for that
 * @param maxRequestSize most bytes one upload request body may carry (form, STOW-RS, session files); above it
 * 413 and nothing of the request is kept
 * @param maxSessionFiles most files one upload session may declare
 * @param maxSpoolPerUser most bytes one user's upload requests in progress may hold together on one instance
 * (memory and spool files); above it 429
 * @param storeRetryAfter what {@code Retry-After} tells a client none of whose files could be stored (every file
 * {@code STORE_FAILED}: the object store is away, or another upload of the same instances is still storing them)
 */
@Validated
@ConfigurationProperties("dicomflow.upload")
public record UploadProperties(@DefaultValue("500") @Min(1) @Max(100_000) int maxFiles,
		@DefaultValue("2GB") @NotNull DataSize maxFileSize, @DefaultValue("0") @NotNull DataSize quotaPerUser,
		@DefaultValue("15m") @NotNull Duration claimTimeout, @DefaultValue("30s") @NotNull Duration claimWait,
		@DefaultValue("8MB") @NotNull DataSize spoolMemoryPerRequest,
		@DefaultValue("256MB") @NotNull DataSize spoolMemoryTotal, @DefaultValue("20GB") @NotNull DataSize maxRequestSize,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxSessionFiles,
		@DefaultValue("40GB") @NotNull DataSize maxSpoolPerUser,
		@DefaultValue("10s") @NotNull Duration storeRetryAfter) {

	/** Form fields other than the files a multipart request may carry on top of {@link #maxFiles()}. */
	static final int OTHER_FORM_FIELDS = 10;

	boolean hasQuota() {
		return this.quotaPerUser.toBytes() > 0;
	}

	/**
	 * Most multipart parts of any name in one request: the files plus a few form fields. The servlet container
	 * (which parses the session routes' bodies) and the service's own form reader both use it, so "too many parts"
	 * is one 413 from either place, and a request cannot make either allocate per part beyond it.
	 */
	public int maxParts() {
		return this.maxFiles + OTHER_FORM_FIELDS;
	}

}
