package io.dicomflow.upload.quota;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What each owner has stored, read with one aggregate over the stored files and the quarantine. Stored bytes
 * are counted exactly as the quota check at ingest counts them (every {@code upload_file} row of the owner);
 * quarantined bytes are reported beside them but do not count toward the quota.
 */
@Repository
public class QuotaUsage {

	private static final String USAGE = """
			select owner, sum(stored_bytes), sum(stored_files), sum(quarantined_bytes), sum(quarantined_files)
			from (select owner, size_bytes as stored_bytes, 1 as stored_files, 0 as quarantined_bytes,
			             0 as quarantined_files
			      from upload_file
			      union all
			      select owner, 0, 0, size_bytes, 1 from quarantined_file) as usage
			group by owner
			order by sum(stored_bytes) desc, owner
			limit ? offset ?""";

	private final JdbcTemplate jdbc;

	public QuotaUsage(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One owner's usage.
	 *
	 * @param owner the owner (token subject)
	 * @param bytesStored bytes of the owner's stored files (what the quota limits)
	 * @param filesStored number of stored files
	 * @param bytesQuarantined bytes the owner has in the quarantine (not counted toward the quota)
	 * @param filesQuarantined number of quarantined files
	 */
	public record Owner(String owner, long bytesStored, long filesStored, long bytesQuarantined,
			long filesQuarantined) {
	}

	/** A page of owners, the largest users first (ties by owner, so pages are stable). */
	public List<Owner> page(int limit, long offset) {
		return this.jdbc.query(USAGE, (rs, i) -> new Owner(rs.getString(1), rs.getLong(2), rs.getLong(3),
				rs.getLong(4), rs.getLong(5)), limit, offset);
	}

}
