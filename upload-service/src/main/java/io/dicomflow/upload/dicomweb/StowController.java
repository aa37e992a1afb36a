package io.dicomflow.upload.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.upload.upload.BoundedBody;
import io.dicomflow.upload.upload.FileOutcome;
import io.dicomflow.upload.upload.IncomingFile;
import io.dicomflow.upload.upload.SpoolPerUser;
import io.dicomflow.upload.upload.UploadIngest;
import io.dicomflow.upload.upload.UploadProperties;
import io.dicomflow.upload.upload.UploadReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * STOW-RS (PS3.18 10.5): each part of a {@code multipart/related; type="application/dicom"} body is spooled to
 * disk, then all parts go through the same ingest as {@code POST /api/uploads} (one upload). The answer is the
 * Store Instances Response Module: what was stored, and why each failed part failed.
 */
@RestController
class StowController {

	private static final Logger log = LoggerFactory.getLogger(StowController.class);

	static final MediaType DICOM = MediaType.parseMediaType("application/dicom");

	static final MediaType DICOM_JSON = MediaType.parseMediaType("application/dicom+json");

	static final URI MALFORMED = URI.create("https://dicomflow.io/problems/malformed-multipart");

	static final URI UNSUPPORTED_TYPE = URI.create("https://dicomflow.io/problems/unsupported-media-type");

	static final URI NO_PARTS = URI.create("https://dicomflow.io/problems/no-files");

	private static final int RETRIEVE_URL = 0x00081190;

	private static final int FAILED_SOP_SEQUENCE = 0x00081198;

	private static final int REFERENCED_SOP_SEQUENCE = 0x00081199;

	private static final int OTHER_FAILURES_SEQUENCE = 0x0008119A;

	private static final int FAILURE_REASON = 0x00081197;

	private static final int REFERENCED_SOP_CLASS_UID = 0x00081150;

	private static final int REFERENCED_SOP_INSTANCE_UID = 0x00081155;

	private final UploadIngest ingest;

	private final DicomwebProperties properties;

	private final UploadProperties limits;

	private final SpoolPerUser spoolPerUser;

	private final DicomReader reader = DicomReader.create();

	StowController(UploadIngest ingest, DicomwebProperties properties, UploadProperties limits,
			SpoolPerUser spoolPerUser) {
		this.ingest = ingest;
		this.properties = properties;
		this.limits = limits;
		this.spoolPerUser = spoolPerUser;
	}

	@PostMapping(path = { "/dicomweb/studies", "/dicomweb/studies/{study}" }, consumes = "multipart/related",
			produces = { "application/dicom+json", "application/json" })
	ResponseEntity<Object> store(@PathVariable(required = false) String study, HttpServletRequest request,
			@RequestHeader(name = "traceparent", required = false) String traceparent) throws IOException {
		MediaType contentType = contentType(request);
		String type = contentType.getParameter("type");
		if (type != null && !DICOM.equalsTypeAndSubtype(MediaType.parseMediaType(unquote(type)))) {
			throw problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_TYPE, "Unsupported media type",
					"only multipart/related; type=\"application/dicom\" is supported, not type=" + type);
		}
		Caller caller = Caller.of(request);
		Path spool = this.properties.spool();
		Files.createDirectories(spool);
		// every part goes to disk: the whole body is bounded by the request limit, and with the user's other
		// requests in progress by their per-user share, which is held until the spooled parts are deleted
		try (SpoolPerUser.Share share = this.spoolPerUser.open(caller.owner())) {
			List<MultipartRelated.Part> parts;
			try (InputStream body = BoundedBody.of(request.getInputStream(), this.limits.maxRequestSize().toBytes(),
					share)) {
				parts = MultipartRelated.spool(body, unquote(contentType.getParameter("boundary")), spool,
						this.properties.maxParts());
			}
			catch (MultipartRelated.MalformedException ex) {
				log.info("STOW-RS by {}: malformed multipart body ({})", caller.owner(), ex.getMessage());
				throw problem(HttpStatus.BAD_REQUEST, MALFORMED, "Malformed multipart body", ex.getMessage());
			}
			try {
				if (parts.isEmpty()) {
					throw problem(HttpStatus.BAD_REQUEST, NO_PARTS, "No files", "the multipart body has no parts");
				}
				return store(caller, study, parts, Traceparent.childOf(traceparent), baseUrl(request));
			}
			finally {
				MultipartRelated.delete(parts);
			}
		}
	}

	private ResponseEntity<Object> store(Caller caller, String study, List<MultipartRelated.Part> parts,
			String traceparent, String baseUrl) {
		List<DicomJson> referenced = new ArrayList<>();
		List<DicomJson> failed = new ArrayList<>();
		List<DicomJson> otherFailures = new ArrayList<>();
		List<SpooledFile> toIngest = new ArrayList<>();
		int index = 0;
		for (MultipartRelated.Part part : parts) {
			index++;
			if (!isDicom(part)) {
				otherFailures.add(failure(null, FailureReasons.WRONG_PART_MEDIA_TYPE));
				continue;
			}
			SpooledFile file = new SpooledFile(part, "part-" + index, identify(part));
			if (study != null && file.ids.studyUid() != null && !study.equals(file.ids.studyUid())) {
				failed.add(failure(file.ids, FailureReasons.STUDY_INSTANCE_UID_MISMATCH));
				continue;
			}
			toIngest.add(file);
		}
		Set<String> studies = new LinkedHashSet<>();
		if (!toIngest.isEmpty()) {
			UploadReceipt receipt = this.ingest.ingest(caller.owner(), toIngest, traceparent);
			for (int i = 0; i < toIngest.size(); i++) {
				SpooledFile file = toIngest.get(i);
				FileOutcome outcome = receipt.files().get(i);
				if (outcome.isStored()) {
					studies.add(file.ids.studyUid());
					referenced.add(DicomJson.object()
						.string(REFERENCED_SOP_CLASS_UID, "UI", file.ids.sopClassUid())
						.string(REFERENCED_SOP_INSTANCE_UID, "UI", file.ids.sopInstanceUid())
						.string(RETRIEVE_URL, "UR", baseUrl + "/studies/" + file.ids.studyUid() + "/series/"
								+ file.ids.seriesUid() + "/instances/" + file.ids.sopInstanceUid()));
				}
				else if (file.ids.sopInstanceUid() != null && file.ids.sopClassUid() != null) {
					failed.add(failure(file.ids, FailureReasons.of(outcome.rejection().code())));
				}
				else {
					otherFailures.add(failure(null, FailureReasons.of(outcome.rejection().code())));
				}
			}
		}
		DicomJson response = DicomJson.object();
		String retrieveStudy = (study != null) ? study : (studies.size() == 1 ? studies.iterator().next() : null);
		if (retrieveStudy != null && !referenced.isEmpty()) {
			response.string(RETRIEVE_URL, "UR", baseUrl + "/studies/" + retrieveStudy);
		}
		if (!referenced.isEmpty()) {
			response.sequence(REFERENCED_SOP_SEQUENCE, referenced);
		}
		if (!failed.isEmpty()) {
			response.sequence(FAILED_SOP_SEQUENCE, failed);
		}
		if (!otherFailures.isEmpty()) {
			response.sequence(OTHER_FAILURES_SEQUENCE, otherFailures);
		}
		int failures = failed.size() + otherFailures.size();
		HttpStatus status = referenced.isEmpty() ? HttpStatus.CONFLICT
				: (failures == 0 ? HttpStatus.OK : HttpStatus.ACCEPTED);
		log.info("STOW-RS by {}: {} of {} parts stored", caller.owner(), referenced.size(), parts.size());
		return ResponseEntity.status(status).contentType(DICOM_JSON).body(response.toMap());
	}

	private static DicomJson failure(InstanceIds ids, int reason) {
		DicomJson item = DicomJson.object();
		if (ids != null) {
			item.string(REFERENCED_SOP_CLASS_UID, "UI", ids.sopClassUid())
				.string(REFERENCED_SOP_INSTANCE_UID, "UI", ids.sopInstanceUid());
		}
		return item.number(FAILURE_REASON, "US", reason);
	}

	private static boolean isDicom(MultipartRelated.Part part) {
		try {
			return DICOM.equalsTypeAndSubtype(MediaType.parseMediaType(part.contentType()));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/** The UIDs the response names the part by; each null when it cannot be read or is not a valid UID. */
	private InstanceIds identify(MultipartRelated.Part part) {
		try (InputStream in = Files.newInputStream(part.file())) {
			DicomHeader header = this.reader.readHeader(in);
			return new InstanceIds(uid(header, "SOPClassUID"), uid(header, "SOPInstanceUID"),
					uid(header, "StudyInstanceUID"), uid(header, "SeriesInstanceUID"));
		}
		catch (Exception ex) {
			// unreadable: the ingest rejects it with the precise reason
			return new InstanceIds(null, null, null, null);
		}
	}

	private static String uid(DicomHeader header, String keyword) {
		String value = header.string(keyword).map((v) -> v.replace("\0", "").strip()).orElse(null);
		return ObjectKeys.isValidUid(value) ? value : null;
	}

	private static MediaType contentType(HttpServletRequest request) {
		try {
			return MediaType.parseMediaType(request.getContentType());
		}
		catch (InvalidMediaTypeException ex) {
			throw problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_TYPE, "Unsupported media type",
					"the Content-Type cannot be parsed");
		}
	}

	private static String unquote(String value) {
		if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			return value.substring(1, value.length() - 1);
		}
		return value;
	}

	static String baseUrl(HttpServletRequest request) {
		return org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromContextPath(request)
			.path("/dicomweb")
			.build()
			.toUriString();
	}

	static ErrorResponseException problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

	record InstanceIds(String sopClassUid, String sopInstanceUid, String studyUid, String seriesUid) {
	}

	/** A spooled part as the ingest reads it. */
	private static final class SpooledFile implements IncomingFile {

		private final MultipartRelated.Part part;

		private final String name;

		final InstanceIds ids;

		SpooledFile(MultipartRelated.Part part, String fallbackName, InstanceIds ids) {
			this.part = part;
			String location = part.headers().get("content-location");
			this.name = (location != null && !location.isBlank()) ? location : fallbackName;
			this.ids = ids;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public long size() {
			return this.part.size();
		}

		@Override
		public InputStream open() throws IOException {
			return Files.newInputStream(this.part.file());
		}

	}

}
