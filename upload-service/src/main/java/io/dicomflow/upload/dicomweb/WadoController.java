package io.dicomflow.upload.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.common.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.Abortable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * WADO-RS (PS3.18 10.4): a study, series or instance as {@code multipart/related; type="application/dicom"},
 * each instance streamed from S3 as it was stored (no transcoding); and their metadata in the DICOM JSON model,
 * read from the stored header. Instances the caller may not see answer 404, as if they did not exist.
 */
@RestController
class WadoController {

	private static final Logger log = LoggerFactory.getLogger(WadoController.class);

	static final URI NOT_FOUND = URI.create("https://dicomflow.io/problems/not-found");

	static final URI NOT_ACCEPTABLE = URI.create("https://dicomflow.io/problems/not-acceptable");

	private final NamedParameterJdbcTemplate jdbc;

	private final ObjectStore store;

	private final DicomReader reader = DicomReader.create();

	WadoController(NamedParameterJdbcTemplate jdbc, ObjectStore store) {
		this.jdbc = jdbc;
		this.store = store;
	}

	/**
	 * The part's transfer-syntax parameter. Ingest stores only valid UIDs; a row from before that check with
	 * anything else gets no parameter rather than its bytes in a header.
	 */
	private static String transferSyntaxParameter(Stored stored) {
		String uid = stored.transferSyntaxUid();
		return (uid != null && ObjectKeys.isValidUid(uid)) ? "; transfer-syntax=" + uid : "";
	}

	private record Stored(String studyUid, String seriesUid, String sopInstanceUid, String transferSyntaxUid,
			String objectKey, long size) {
	}

	@GetMapping({ "/dicomweb/studies/{study}", "/dicomweb/studies/{study}/series/{series}",
			"/dicomweb/studies/{study}/series/{series}/instances/{instance}" })
	void retrieve(@PathVariable String study, @PathVariable(required = false) String series,
			@PathVariable(required = false) String instance, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		requireAcceptable(request.getHeader(HttpHeaders.ACCEPT));
		List<Stored> instances = find(Caller.reader(request), study, series, instance);
		String boundary = "dicomflow-" + UUID.randomUUID();
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary);
		OutputStream out = response.getOutputStream();
		for (Stored stored : instances) {
			out.write(("--" + boundary + "\r\nContent-Type: application/dicom" + transferSyntaxParameter(stored)
					+ "\r\nContent-Length: " + stored.size() + "\r\nContent-Location: "
					+ StowController.baseUrl(request) + "/studies/" + stored.studyUid() + "/series/"
					+ stored.seriesUid() + "/instances/" + stored.sopInstanceUid() + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			try (InputStream in = this.store.open(stored.objectKey())) {
				in.transferTo(out);
			}
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	@GetMapping({ "/dicomweb/studies/{study}/metadata", "/dicomweb/studies/{study}/series/{series}/metadata",
			"/dicomweb/studies/{study}/series/{series}/instances/{instance}/metadata" })
	ResponseEntity<List<Map<String, Object>>> metadata(@PathVariable String study,
			@PathVariable(required = false) String series, @PathVariable(required = false) String instance,
			HttpServletRequest request) throws IOException {
		List<Stored> instances = find(Caller.reader(request), study, series, instance);
		List<Map<String, Object>> result = new ArrayList<>(instances.size());
		for (Stored stored : instances) {
			DicomHeader header = header(stored);
			if (header == null) {
				continue;
			}
			result.add(DicomJson.of(header.dataset())
				.string(0x00083002, "UI", header.transferSyntaxUid())
				.toMap());
		}
		return ResponseEntity.ok().contentType(StowController.DICOM_JSON).body(result);
	}

	/** Reads the stored header only: the rest of the object (the pixel data) is not downloaded. */
	private DicomHeader header(Stored stored) throws IOException {
		InputStream in = this.store.open(stored.objectKey());
		try {
			return this.reader.readHeader(in);
		}
		catch (DicomParseException ex) {
			// it was readable when stored; log the key (no patient data) and leave it out
			log.error("Stored instance {} cannot be read back", stored.objectKey(), ex);
			return null;
		}
		finally {
			if (in instanceof Abortable abortable) {
				abortable.abort();
			}
			in.close();
		}
	}

	private List<Stored> find(Caller caller, String study, String series, String instance) {
		MapSqlParameterSource params = new MapSqlParameterSource().addValue("admin", caller.admin())
			.addValue("owner", caller.owner())
			.addValue("study", study)
			.addValue("series", series)
			.addValue("instance", instance);
		List<Stored> found = this.jdbc.query("""
				select distinct on (sop_instance_uid) study_instance_uid, series_instance_uid, sop_instance_uid,
				    transfer_syntax_uid, object_key, size_bytes, series_number, instance_number
				from dicomweb_instance
				where (:admin or owner = :owner) and study_instance_uid = :study
				    and (cast(:series as text) is null or series_instance_uid = :series)
				    and (cast(:instance as text) is null or sop_instance_uid = :instance)
				order by sop_instance_uid, stored_at
				""", params, (rs, i) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
				rs.getString(5), rs.getLong(6)));
		if (found.isEmpty()) {
			String what = (instance != null) ? "instance " + instance
					: (series != null) ? "series " + series : "study " + study;
			throw StowController.problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", "no " + what);
		}
		return found;
	}

	/**
	 * Only the stored form is served: {@code multipart/related} with type {@code application/dicom} (or any),
	 * any transfer syntax. Anything else is 406 (PS3.18 8.7.3).
	 */
	private static void requireAcceptable(String accept) {
		if (accept == null || accept.isBlank()) {
			return;
		}
		try {
			for (MediaType type : MediaType.parseMediaTypes(accept)) {
				String partType = type.getParameter("type");
				if (type.isWildcardType() || (type.getType().equals("multipart") && (type.isWildcardSubtype()
						|| type.getSubtype().equals("related"))
						&& (partType == null || partType.replace("\"", "").equals("application/dicom")))) {
					return;
				}
			}
		}
		catch (InvalidMediaTypeException ex) {
			// an Accept that cannot be parsed accepts nothing we can name
		}
		throw StowController.problem(HttpStatus.NOT_ACCEPTABLE, NOT_ACCEPTABLE, "Not acceptable",
				"instances are available as multipart/related; type=\"application/dicom\" in their stored transfer syntax");
	}

}
