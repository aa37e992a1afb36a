package io.dicomflow.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Test helpers for DICOMweb: corpus instances given fresh identities (so each test owns its studies in the shared
 * pipeline), a raw HTTP client for multipart/related bodies, and a reader for multipart responses.
 */
final class Dicomweb {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	private Dicomweb() {
	}

	/**
	 * A corpus file whose Study, Series and SOP Instance UIDs and Patient ID were replaced by fresh values of the
	 * same length (byte for byte, so every length in the file stays right).
	 */
	record Instance(String corpusName, byte[] bytes, String studyUid, String seriesUid, String sopInstanceUid,
			String patientId) {

		/** Another instance of the same series: a new SOP Instance UID only. */
		Instance sibling() {
			String sop = freshUid(this.sopInstanceUid.length());
			return new Instance(this.corpusName, replace(this.bytes, this.sopInstanceUid, sop), this.studyUid,
					this.seriesUid, sop, this.patientId);
		}

		/** The same instance in another series of the same study. */
		Instance inNewSeries() {
			String series = freshUid(this.seriesUid.length());
			String sop = freshUid(this.sopInstanceUid.length());
			byte[] changed = replace(replace(this.bytes, this.seriesUid, series), this.sopInstanceUid, sop);
			return new Instance(this.corpusName, changed, this.studyUid, series, sop, this.patientId);
		}

	}

	static Instance fresh(String corpusName) {
		JsonNode attributes = Pipeline.reference(corpusName).path("attributes");
		byte[] bytes = Pipeline.corpus(corpusName);
		String study = attributes.path("StudyInstanceUID").asString();
		String series = attributes.path("SeriesInstanceUID").asString();
		String sop = attributes.path("SOPInstanceUID").asString();
		String patient = attributes.path("PatientID").asString();
		String newStudy = freshUid(study.length());
		String newSeries = freshUid(series.length());
		String newSop = freshUid(sop.length());
		String newPatient = freshText(patient.length());
		// longest first: one UID may begin with another (a series UID made of the study UID and a suffix)
		Map<String, String> replacements = new java.util.TreeMap<>(
				java.util.Comparator.comparingInt(String::length).reversed().thenComparing(String::compareTo));
		replacements.put(study, newStudy);
		replacements.put(series, newSeries);
		replacements.put(sop, newSop);
		replacements.put(patient, newPatient);
		for (Map.Entry<String, String> replacement : replacements.entrySet()) {
			bytes = replace(bytes, replacement.getKey(), replacement.getValue());
		}
		return new Instance(corpusName, bytes, newStudy, newSeries, newSop, newPatient);
	}

	/** A valid UID ({@code 2.25.} and digits without a leading zero) of exactly {@code length} characters. */
	static String freshUid(int length) {
		StringBuilder uid = new StringBuilder("2.25.").append((char) ('1' + RANDOM.nextInt(9)));
		while (uid.length() < length) {
			uid.append((char) ('0' + RANDOM.nextInt(10)));
		}
		return uid.toString();
	}

	private static String freshText(int length) {
		String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ";
		StringBuilder text = new StringBuilder();
		while (text.length() < length) {
			text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	/** Every occurrence of {@code from} replaced by {@code to} (same length); fails if there is none. */
	static byte[] replace(byte[] bytes, String from, String to) {
		byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
		byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
		if (needle.length != replacement.length) {
			throw new IllegalArgumentException("replacement must keep the length");
		}
		if (needle.length == 0) {
			// an empty value (e.g. a file without PatientID) would match at every offset and never advance
			throw new IllegalArgumentException("cannot replace an empty value");
		}
		byte[] out = bytes.clone();
		int found = 0;
		for (int i = 0; i + needle.length <= out.length; i++) {
			if (Arrays.equals(out, i, i + needle.length, needle, 0, needle.length)) {
				System.arraycopy(replacement, 0, out, i, replacement.length);
				found++;
				i += needle.length - 1;
			}
		}
		if (found == 0) {
			throw new IllegalArgumentException("value not found in the file");
		}
		return out;
	}

	/**
	 * One part of a multipart/related body.
	 * @param contentType the part's Content-Type
	 * @param bytes its content
	 */
	record Part(String contentType, byte[] bytes) {

		static Part dicom(byte[] bytes) {
			return new Part("application/dicom", bytes);
		}

		static Part dicom(Instance instance) {
			return dicom(instance.bytes());
		}

	}

	static byte[] multipart(String boundary, List<Part> parts) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (Part part : parts) {
			body.writeBytes(("--" + boundary + "\r\nContent-Type: " + part.contentType() + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			body.writeBytes(part.bytes());
			body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return body.toByteArray();
	}

	/**
	 * @param status HTTP status
	 * @param contentType the Content-Type header, or ""
	 * @param body raw body
	 */
	record Response(int status, String contentType, byte[] body) {

		JsonNode json() {
			return Pipeline.JSON.readTree(this.body);
		}

		/** The parts of a multipart body, each with its headers (names in lower case) and content. */
		List<Map.Entry<Map<String, String>, byte[]>> parts() {
			String boundary = null;
			for (String parameter : this.contentType.split(";")) {
				String p = parameter.strip();
				if (p.toLowerCase().startsWith("boundary=")) {
					boundary = p.substring("boundary=".length()).replace("\"", "");
				}
			}
			byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
			List<Integer> starts = new ArrayList<>();
			for (int i = 0; i + delimiter.length <= this.body.length; i++) {
				if (Arrays.equals(this.body, i, i + delimiter.length, delimiter, 0, delimiter.length)
						&& (i == 0 || (this.body[i - 1] == '\n' && this.body[i - 2] == '\r'))) {
					starts.add(i);
				}
			}
			List<Map.Entry<Map<String, String>, byte[]>> parts = new ArrayList<>();
			for (int n = 0; n + 1 < starts.size(); n++) {
				int headerStart = starts.get(n) + delimiter.length + 2;
				int headerEnd = headerStart;
				while (!(this.body[headerEnd] == '\r' && this.body[headerEnd + 1] == '\n'
						&& this.body[headerEnd + 2] == '\r' && this.body[headerEnd + 3] == '\n')) {
					headerEnd++;
				}
				Map<String, String> headers = new LinkedHashMap<>();
				for (String line : new String(this.body, headerStart, headerEnd - headerStart, StandardCharsets.US_ASCII)
					.split("\r\n")) {
					int colon = line.indexOf(':');
					headers.put(line.substring(0, colon).strip().toLowerCase(), line.substring(colon + 1).strip());
				}
				parts.add(Map.entry(headers, Arrays.copyOfRange(this.body, headerEnd + 4, starts.get(n + 1) - 2)));
			}
			return parts;
		}

	}

	static Response stow(String user, String path, String contentType, byte[] body) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Authorization", Pipeline.authorization(user))
			.header("Content-Type", contentType)
			.header("Accept", "application/dicom+json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build());
	}

	static Response stow(String user, String path, List<Part> parts) {
		String boundary = "test-boundary-" + RANDOM.nextInt(1_000_000);
		return stow(user, path, "multipart/related; type=\"application/dicom\"; boundary=" + boundary,
				multipart(boundary, parts));
	}

	static Response get(String user, String path, String accept) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", Pipeline.authorization(user));
		if (accept != null) {
			request.header("Accept", accept);
		}
		return send(request.GET().build());
	}

	private static URI uri(String path) {
		return URI.create(Pipeline.get().services.uploadUrl() + path);
	}

	private static Response send(HttpRequest request) {
		try {
			HttpResponse<byte[]> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
			return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
