package io.dicomflow.upload.results;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * The brief's {@code /api/elements/}, with and without the trailing slash. See docs/results-api.md.
 */
@RestController
@RequestMapping("/api/elements")
class ElementsController {

	private static final Set<String> UPDATABLE = Set.of("id", "device_name");

	private final ElementBodies bodies;

	private final ElementService elements;

	private final ElementsProperties properties;

	ElementsController(ElementBodies bodies, ElementService elements, ElementsProperties properties) {
		this.bodies = bodies;
		this.elements = elements;
		this.properties = properties;
	}

	/** 201 with the element (single body) or the array of created elements, in batch order (batch body). */
	@PostMapping(path = { "", "/" }, consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> create(@RequestBody JsonNode body, Authentication user) {
		List<NewElement> parsed = this.bodies.parse(body);
		List<ElementView> created = this.elements.create(parsed, Caller.of(user));
		if (ElementBodies.isSingle(body)) {
			return ResponseEntity.created(location(created.get(0).id())).body(created.get(0));
		}
		return ResponseEntity.status(HttpStatus.CREATED).body(created);
	}

	@GetMapping(path = { "", "/" })
	PagedModel<ElementView> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size,
			@RequestParam(name = "sort", required = false) List<String> sort,
			@RequestParam(name = "created_date_min", required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime createdFrom,
			@RequestParam(name = "created_date_max", required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime createdTo,
			@RequestParam(name = "updated_date_min", required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime updatedFrom,
			@RequestParam(name = "updated_date_max", required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime updatedTo,
			@RequestParam(name = "average_before_normalization_min", required = false) Double beforeMin,
			@RequestParam(name = "average_before_normalization_max", required = false) Double beforeMax,
			@RequestParam(name = "average_after_normalization_min", required = false) Double afterMin,
			@RequestParam(name = "average_after_normalization_max", required = false) Double afterMax,
			@RequestParam(name = "data_size_min", required = false) Long sizeMin,
			@RequestParam(name = "data_size_max", required = false) Long sizeMax,
			@RequestParam(name = "device_name", required = false) String deviceName,
			@RequestParam(name = "owner", required = false) String owner,
			@RequestParam(name = "source", required = false) String source,
			@RequestParam(name = "versions", defaultValue = "latest") String versions, Authentication user) {
		if (!"latest".equals(versions) && !"all".equals(versions)) {
			throw ElementProblems.invalidQuery("versions must be 'latest' or 'all'");
		}
		if (source != null && !"api".equals(source) && !"analysis".equals(source)) {
			throw ElementProblems.invalidQuery("source must be 'api' or 'analysis'");
		}
		if (page < 0 || size < 1) {
			throw ElementProblems.invalidQuery("page must be >= 0 and size >= 1");
		}
		ElementFilter filter = new ElementFilter(createdFrom, createdTo, updatedFrom, updatedTo, beforeMin, beforeMax,
				afterMin, afterMax, sizeMin, sizeMax, deviceName, owner, source, "all".equals(versions));
		Pageable pageable = PageRequest.of(page, Math.min(size, this.properties.maxPageSize()), sort(sort));
		return new PagedModel<>(this.elements.list(filter, pageable, Caller.of(user)));
	}

	@GetMapping({ "/{id}", "/{id}/" })
	ElementView get(@PathVariable String id, @RequestParam(required = false) Integer version,
			@RequestParam(required = false) String owner, Authentication user) {
		return this.elements.get(id, version, Caller.of(user), owner);
	}

	/**
	 * The analysed image's PNG thumbnail (longest side 256), for the portal's result page. Private: a shared
	 * cache must never keep another user's image.
	 */
	@GetMapping({ "/{id}/thumbnail", "/{id}/thumbnail/" })
	ResponseEntity<byte[]> thumbnail(@PathVariable String id, @RequestParam(required = false) Integer version,
			@RequestParam(required = false) String owner, Authentication user) {
		return ResponseEntity.ok()
			.contentType(MediaType.IMAGE_PNG)
			.cacheControl(CacheControl.noCache().cachePrivate())
			.body(this.elements.thumbnail(id, version, Caller.of(user), owner));
	}

	/** Every version of the element, newest first. */
	@GetMapping({ "/{id}/versions", "/{id}/versions/" })
	List<ElementView> versions(@PathVariable String id, @RequestParam(required = false) String owner,
			Authentication user) {
		return this.elements.versions(id, Caller.of(user), owner);
	}

	/** Sets {@code device_name} (required) and optionally {@code id}, as the brief's PUT. */
	@PutMapping(path = { "/{id}", "/{id}/" }, consumes = MediaType.APPLICATION_JSON_VALUE)
	ElementView put(@PathVariable String id, @RequestBody JsonNode body,
			@RequestParam(required = false) String owner, Authentication user) {
		checkUpdate(body);
		if (!body.has("device_name")) {
			throw ElementProblems.invalid("PUT needs device_name (PATCH changes single fields)", Map.of("id", id));
		}
		return update(id, body, owner, user);
	}

	/** Sets {@code device_name} and/or {@code id}. */
	@PatchMapping(path = { "/{id}", "/{id}/" }, consumes = { MediaType.APPLICATION_JSON_VALUE,
			"application/merge-patch+json" })
	ElementView patch(@PathVariable String id, @RequestBody JsonNode body,
			@RequestParam(required = false) String owner, Authentication user) {
		checkUpdate(body);
		if (body.isEmpty()) {
			throw ElementProblems.invalid("nothing to change: give device_name and/or id", Map.of("id", id));
		}
		return update(id, body, owner, user);
	}

	@DeleteMapping({ "/{id}", "/{id}/" })
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String id, @RequestParam(required = false) String owner, Authentication user) {
		this.elements.delete(id, Caller.of(user), owner);
	}

	private ElementView update(String id, JsonNode body, String owner, Authentication user) {
		String newId = text(body, "id");
		if (newId != null && (newId.isBlank() || newId.length() > ElementBodies.MAX_ID_LENGTH || newId.contains("/"))) {
			throw ElementProblems.invalid("id must be a non-empty string of at most " + ElementBodies.MAX_ID_LENGTH
					+ " characters without '/'", Map.of("id", id));
		}
		return this.elements.update(id, newId, text(body, "device_name"), Caller.of(user), owner);
	}

	private static void checkUpdate(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ElementProblems.invalid("the body must be a JSON object", Map.of());
		}
		List<String> unknown = new ArrayList<>();
		body.propertyNames().forEach((name) -> {
			if (!UPDATABLE.contains(name)) {
				unknown.add(name);
			}
		});
		if (!unknown.isEmpty()) {
			// the figures follow from the data, which cannot change: post a new element instead
			throw ElementProblems.invalid("only id and device_name can be changed, not " + unknown,
					Map.of("fields", unknown));
		}
	}

	private static String text(JsonNode body, String field) {
		JsonNode value = body.get(field);
		if (value == null) {
			return null;
		}
		if (!value.isString()) {
			throw ElementProblems.invalid(field + " must be a string", Map.of("field", field));
		}
		return value.asString();
	}

	/** {@code sort=created_date,desc&sort=id}: a field name, then an optional direction. */
	private static Sort sort(List<String> params) {
		if (params == null || params.isEmpty()) {
			return Sort.by(Sort.Order.desc("created_date"));
		}
		// Spring splits one "field,dir" value into two list entries; rejoin field/direction pairs
		List<Sort.Order> orders = new ArrayList<>();
		for (int i = 0; i < params.size(); i++) {
			String field = params.get(i).strip();
			if (!ElementStore.SORTABLE.containsKey(field)) {
				throw ElementProblems.invalidQuery("cannot sort by '" + field + "'; sortable: "
						+ new java.util.TreeSet<>(ElementStore.SORTABLE.keySet()));
			}
			Sort.Direction direction = Sort.Direction.ASC;
			if (i + 1 < params.size() && Sort.Direction.fromOptionalString(params.get(i + 1).strip()).isPresent()) {
				direction = Sort.Direction.fromString(params.get(++i).strip());
			}
			orders.add(new Sort.Order(direction, field));
		}
		return Sort.by(orders);
	}

	private static URI location(String id) {
		return URI.create("/api/elements/" + UriUtils.encodePathSegment(id, java.nio.charset.StandardCharsets.UTF_8) + "/");
	}

}
