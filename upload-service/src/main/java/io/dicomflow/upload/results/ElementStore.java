package io.dicomflow.upload.results;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * SQL over {@code medical_image_result}. Element ids are per owner: a statement about one element names its
 * owner ({@code owner = :owner}), so another user's element is simply not found; lists take the caller and
 * carry the owner condition unless the caller is an admin.
 */
@Repository
class ElementStore {

	/** Written with the figures of posted elements, next to the worker's DICOM analyser versions. */
	static final String ANALYZER_VERSION = "numeric-1";

	/** API sort names → columns; anything else is refused rather than passed to SQL. */
	static final Map<String, String> SORTABLE = Map.of("id", "element_id", "device_name", "device_name",
			"created_date", "created_date", "updated_date", "updated_date", "average_before_normalization",
			"average_before_normalization", "average_after_normalization", "average_after_normalization",
			"data_size", "data_size", "version", "version", "owner", "owner");

	private static final String COLUMNS = "element_id, device_name, average_before_normalization, "
			+ "average_after_normalization, data_size, raw_data::text as raw_data, created_date, updated_date, owner, "
			+ "source, version, latest, analyzer_version, min_value, max_value, std_value";

	private final NamedParameterJdbcTemplate jdbc;

	private final JsonMapper json;

	ElementStore(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	void insert(NewElement element, String owner) {
		var stats = element.statistics();
		this.jdbc.update("insert into medical_image_result (id, element_id, owner, device_name, "
				+ "average_before_normalization, average_after_normalization, data_size, raw_data, analyzer_version, "
				+ "min_value, max_value, std_value, source) values (:row, :id, :owner, :name, :before, :after, :size, "
				+ "cast(:raw as jsonb), :analyzer, :min, :max, :std, 'api')",
				new MapSqlParameterSource().addValue("row", UUID.randomUUID().toString())
					.addValue("id", element.id())
					.addValue("owner", owner)
					.addValue("name", element.deviceName())
					.addValue("before", stats.mean())
					.addValue("after", stats.averageAfterNormalization())
					.addValue("size", stats.count())
					.addValue("raw", this.json.writeValueAsString(element.rawData()))
					.addValue("analyzer", ANALYZER_VERSION)
					.addValue("min", stats.min())
					.addValue("max", stats.max())
					.addValue("std", stats.std()));
	}

	/** Which of these ids {@code owner} has taken: ids are per owner, another owner's are no concern. */
	List<String> taken(Collection<String> ids, String owner) {
		return this.jdbc.queryForList("select distinct element_id from medical_image_result "
				+ "where owner = :owner and element_id in (:ids) order by 1",
				Map.of("ids", ids, "owner", owner), String.class);
	}

	/** Up to two owners having an element of this id (an admin's lookup: none, one, or ambiguous). */
	List<String> owners(String id) {
		return this.jdbc.queryForList(
				"select distinct owner from medical_image_result where element_id = :id order by 1 limit 2",
				Map.of("id", id), String.class);
	}

	/** The newest version of {@code owner}'s element, or the given one. */
	Optional<ElementView> find(String id, Integer version, String owner) {
		MapSqlParameterSource p = new MapSqlParameterSource("owner", owner).addValue("id", id);
		String which = (version == null) ? "latest" : "version = :version";
		p.addValue("version", version);
		return this.jdbc
			.query("select " + COLUMNS + " from medical_image_result where owner = :owner and element_id = :id and "
					+ which, p, this::view)
			.stream()
			.findFirst();
	}

	/**
	 * The PNG thumbnail of {@code owner}'s element (its latest version, or {@code version}); empty when the
	 * element or that version does not exist or has none (posted elements, images without pixels).
	 */
	Optional<byte[]> thumbnail(String id, Integer version, String owner) {
		MapSqlParameterSource p = new MapSqlParameterSource("owner", owner).addValue("id", id)
			.addValue("version", version);
		String which = (version == null) ? "r.latest" : "r.version = :version";
		return this.jdbc
			.query("select t.png from medical_image_result r join medical_image_result_thumbnail t on t.result_id = r.id "
					+ "where r.owner = :owner and r.element_id = :id and " + which, p, (rs, i) -> rs.getBytes(1))
			.stream()
			.findFirst();
	}

	/** Every version of {@code owner}'s element, newest first. */
	List<ElementView> versions(String id, String owner) {
		return this.jdbc.query("select " + COLUMNS + " from medical_image_result where owner = :owner and "
				+ "element_id = :id order by version desc", new MapSqlParameterSource("owner", owner).addValue("id", id),
				this::view);
	}

	long count(ElementFilter filter, Caller caller) {
		MapSqlParameterSource p = owner(caller);
		Long n = this.jdbc.queryForObject("select count(*) from medical_image_result where " + where(filter, caller, p),
				p, Long.class);
		return (n != null) ? n : 0;
	}

	List<ElementView> list(ElementFilter filter, Caller caller, Sort sort, long offset, int limit) {
		MapSqlParameterSource p = owner(caller).addValue("offset", offset).addValue("limit", limit);
		List<String> order = new ArrayList<>();
		for (Sort.Order o : sort) {
			order.add(SORTABLE.get(o.getProperty()) + (o.isAscending() ? " asc" : " desc"));
		}
		// a total order, so that pages neither repeat nor skip rows
		order.add("element_id asc");
		order.add("version desc");
		return this.jdbc.query("select " + COLUMNS + " from medical_image_result where " + where(filter, caller, p)
				+ " order by " + String.join(", ", order) + " offset :offset limit :limit", p, this::view);
	}

	/**
	 * Renames and/or sets the device name of every version; {@code raw_data.id} and {@code raw_data.deviceName},
	 * where present, follow. {@code null} leaves a field unchanged.
	 * @return the number of rows changed (0: no such element for this caller)
	 */
	int update(String id, String newId, String deviceName, String owner) {
		MapSqlParameterSource p = new MapSqlParameterSource("owner", owner).addValue("id", id)
			.addValue("newId", (newId != null) ? newId : id)
			.addValue("setName", deviceName != null)
			.addValue("name", (deviceName != null) ? deviceName : "");
		// jsonb_exists() rather than the ? operator, which JDBC would take for a parameter
		return this.jdbc.update("update medical_image_result set element_id = :newId, "
				+ "device_name = case when :setName then :name else device_name end, "
				+ "raw_data = (select case when :setName and jsonb_typeof(r) = 'object' and jsonb_exists(r, 'deviceName') "
				+ "  then jsonb_set(r, '{deviceName}', to_jsonb(cast(:name as text))) else r end "
				+ "  from (select case when jsonb_typeof(raw_data) = 'object' and jsonb_exists(raw_data, 'id') "
				+ "    then jsonb_set(raw_data, '{id}', to_jsonb(cast(:newId as text))) else raw_data end as r) x), "
				+ "updated_date = now() where owner = :owner and element_id = :id", p);
	}

	/** Deletes every version of {@code owner}'s element. */
	int delete(String id, String owner) {
		return this.jdbc.update("delete from medical_image_result where owner = :owner and element_id = :id",
				new MapSqlParameterSource("owner", owner).addValue("id", id));
	}

	private static MapSqlParameterSource owner(Caller caller) {
		return new MapSqlParameterSource("owner", caller.name());
	}

	private static String where(ElementFilter f, Caller caller, MapSqlParameterSource p) {
		List<String> and = new ArrayList<>();
		and.add(f.allVersions() ? "true" : "latest");
		if (!caller.admin()) {
			and.add("owner = :owner");
		}
		else if (f.owner() != null) {
			and.add("owner = :filterOwner");
			p.addValue("filterOwner", f.owner());
		}
		range(and, p, "created_date", f.createdFrom(), f.createdTo());
		range(and, p, "updated_date", f.updatedFrom(), f.updatedTo());
		range(and, p, "average_before_normalization", f.beforeMin(), f.beforeMax());
		range(and, p, "average_after_normalization", f.afterMin(), f.afterMax());
		range(and, p, "data_size", f.sizeMin(), f.sizeMax());
		if (f.deviceName() != null) {
			and.add("lower(device_name) = lower(:deviceName)");
			p.addValue("deviceName", f.deviceName());
		}
		if (f.source() != null) {
			and.add("source = :source");
			p.addValue("source", f.source());
		}
		return String.join(" and ", and);
	}

	private static void range(List<String> and, MapSqlParameterSource p, String column, Object from, Object to) {
		if (from != null) {
			and.add(column + " >= :" + column + "_from");
			p.addValue(column + "_from", from);
		}
		if (to != null) {
			and.add(column + " <= :" + column + "_to");
			p.addValue(column + "_to", to);
		}
	}

	private ElementView view(ResultSet rs, int row) throws SQLException {
		return new ElementView(rs.getString("element_id"), rs.getString("device_name"),
				rs.getDouble("average_before_normalization"), rs.getDouble("average_after_normalization"),
				rs.getLong("data_size"), this.json.readTree(rs.getString("raw_data")),
				rs.getObject("created_date", OffsetDateTime.class), rs.getObject("updated_date", OffsetDateTime.class),
				rs.getString("owner"), rs.getString("source"), rs.getInt("version"), rs.getBoolean("latest"),
				rs.getString("analyzer_version"), (Double) rs.getObject("min_value"), (Double) rs.getObject("max_value"),
				(Double) rs.getObject("std_value"));
	}

}
