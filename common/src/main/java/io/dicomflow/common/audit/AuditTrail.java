package io.dicomflow.common.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Writes and reads the access audit trail. Each record is a row of {@code access_audit} (append-only: the
 * table refuses UPDATE, DELETE and TRUNCATE) and one {@code key=value} line of the {@code dicomflow.audit}
 * logger, for a log pipeline or SIEM. Records hold ids, routes and addresses, never patient values.
 */
public class AuditTrail {

	/** The logger of the structured stream; route it to its own appender to keep it apart. */
	public static final String LOGGER = "dicomflow.audit";

	private static final Logger audit = LoggerFactory.getLogger(LOGGER);

	private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

	private static final int MAX_TEXT = 200;

	private static final RowMapper<AuditRecord> ROWS = (rs, n) -> new AuditRecord(rs.getLong("id"),
			rs.getTimestamp("occurred_at").toInstant(), rs.getString("service"), rs.getString("subject"),
			AuditRecord.Action.valueOf(rs.getString("action")), rs.getString("resource_type"),
			rs.getString("resource_id"), AuditRecord.Outcome.valueOf(rs.getString("outcome")), rs.getInt("status"),
			rs.getString("method"), rs.getString("route"), rs.getString("remote_address"));

	private final JdbcTemplate jdbc;

	private final String service;

	public AuditTrail(JdbcTemplate jdbc, String service) {
		this.jdbc = jdbc;
		this.service = service;
	}

	/** Records an access; the structured line is written even if the row cannot be. */
	public void record(String subject, AuditRecord.Action action, String resourceType, String resourceId,
			AuditRecord.Outcome outcome, int status, String method, String route, String remoteAddress) {
		AuditRecord record = new AuditRecord(null, Instant.now(), this.service, clip(subject), action,
				clip(resourceType), clip(resourceId), outcome, status, clip(method), clip(route), clip(remoteAddress));
		audit.info("service={} subject={} action={} resource_type={} resource_id={} outcome={} status={} method={} "
				+ "route={} remote={}", value(record.service()), value(record.subject()), record.action(),
				value(record.resourceType()), value(record.resourceId()), record.outcome(), record.status(),
				value(record.method()), value(record.route()), value(record.remoteAddress()));
		try {
			this.jdbc.update("insert into access_audit (occurred_at, service, subject, action, resource_type, "
					+ "resource_id, outcome, status, method, route, remote_address) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					Timestamp.from(record.occurredAt()), record.service(), record.subject(), record.action().name(),
					record.resourceType(), record.resourceId(), record.outcome().name(), record.status(),
					record.method(), record.route(), record.remoteAddress());
		}
		catch (RuntimeException ex) {
			// the request has been answered already; the structured line above still carries the record
			log.error("Could not write the access audit row ({} {} {}): {}", record.subject(), record.action(),
					record.route(), ex.toString());
		}
	}

	/**
	 * The records matching every given criterion (null: any), newest first.
	 * @param subject exact user
	 * @param resource exact resource id
	 * @param from inclusive lower bound of the time
	 * @param to exclusive upper bound of the time
	 */
	public Page query(String subject, String resource, Instant from, Instant to, int page, int size) {
		StringBuilder where = new StringBuilder(" where true");
		List<Object> args = new ArrayList<>();
		if (subject != null) {
			where.append(" and subject = ?");
			args.add(subject);
		}
		if (resource != null) {
			where.append(" and resource_id = ?");
			args.add(resource);
		}
		if (from != null) {
			where.append(" and occurred_at >= ?");
			args.add(Timestamp.from(from));
		}
		if (to != null) {
			where.append(" and occurred_at < ?");
			args.add(Timestamp.from(to));
		}
		Long total = this.jdbc.queryForObject("select count(*) from access_audit" + where, Long.class, args.toArray());
		List<Object> pageArgs = new ArrayList<>(args);
		pageArgs.add(size);
		pageArgs.add((long) page * size);
		List<AuditRecord> items = this.jdbc.query(
				"select * from access_audit" + where + " order by occurred_at desc, id desc limit ? offset ?", ROWS,
				pageArgs.toArray());
		return new Page(items, page, size, (total != null) ? total : 0);
	}

	/**
	 * One page of records.
	 * @param items the records, newest first
	 * @param page zero-based page number
	 * @param size page size asked for
	 * @param total records matching in all
	 */
	public record Page(List<AuditRecord> items, int page, int size, long total) {
	}

	private static String clip(String text) {
		if (text == null) {
			return null;
		}
		return (text.length() > MAX_TEXT) ? text.substring(0, MAX_TEXT) : text;
	}

	/** A value of the key=value line: quoted when it has spaces or quotes, control characters escaped. */
	static String value(String text) {
		if (text == null) {
			return "-";
		}
		StringBuilder out = new StringBuilder(text.length() + 2);
		boolean quote = text.isEmpty();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				out.append(String.format("\\x%02x", (int) c));
				quote = true;
			}
			else if (c == '"' || c == '\\') {
				out.append('\\').append(c);
				quote = true;
			}
			else {
				quote |= c == ' ' || c == '=';
				out.append(c);
			}
		}
		return quote ? "\"" + out + "\"" : out.toString();
	}

}
