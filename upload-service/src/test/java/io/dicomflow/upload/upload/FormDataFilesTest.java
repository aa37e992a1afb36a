package io.dicomflow.upload.upload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormDataFilesTest {

	private static final String TYPE = "multipart/form-data; boundary=\"xyzzy\"";

	private final SpoolMemory memory = new SpoolMemory(new UploadProperties(500, DataSize.ofGigabytes(2),
			DataSize.ofBytes(0), Duration.ofMinutes(15), Duration.ofSeconds(30), DataSize.ofMegabytes(8),
			DataSize.ofMegabytes(1), DataSize.ofGigabytes(20), 10_000,
			DataSize.ofGigabytes(40), Duration.ofSeconds(10)));

	@Test
	void keepsTheFilePartsWithTheirNamesAndBytesAndSkipsOtherFields() throws IOException {
		byte[] first = random(70_000, 1);
		byte[] second = "\r\n--xyzz not a delimiter \r\n--xyzzX\r\n-".getBytes(StandardCharsets.ISO_8859_1);
		byte[] body = body(part("comment", null, "hello".getBytes()), part("files", "a.dcm", first),
				part("files", "b.dcm", second));
		try (FormDataFiles form = read(body, 8 << 20)) {
			List<? extends IncomingFile> files = form.files();
			assertThat(files).extracting(IncomingFile::name).containsExactly("a.dcm", "b.dcm");
			assertThat(bytes(files.get(0))).isEqualTo(first);
			assertThat(files.get(0).size()).isEqualTo(first.length);
			// readable more than once: validation, then the S3 put
			assertThat(bytes(files.get(0))).isEqualTo(first);
			assertThat(bytes(files.get(1))).isEqualTo(second);
			assertThat(this.memory.used()).isGreaterThanOrEqualTo(first.length + second.length);
			assertThat(tempFiles()).isEmpty();
		}
		assertThat(this.memory.used()).isZero();
	}

	@Test
	void aFileBeyondTheRequestsMemoryBudgetGoesToATemporaryFileDeletedOnClose() throws IOException {
		byte[] small = random(1000, 2);
		byte[] large = random(300_000, 3);
		List<Path> before = tempFiles();
		try (FormDataFiles form = read(body(part("files", "small.dcm", small), part("files", "large.dcm", large)),
				128 * 1024)) {
			assertThat(bytes(form.files().get(0))).isEqualTo(small);
			assertThat(bytes(form.files().get(1))).isEqualTo(large);
			assertThat(tempFiles()).hasSize(before.size() + 1);
			// the large file's memory went back when it moved to disk; the small one's is still held
			assertThat(this.memory.used()).isPositive().isLessThan(large.length);
		}
		assertThat(tempFiles()).hasSize(before.size());
		assertThat(this.memory.used()).isZero();
	}

	@Test
	void theSharedBudgetLimitsMemoryAcrossRequests() throws IOException {
		// the shared budget is 1 MB: a second request's part does not fit while the first holds 1 MB
		try (FormDataFiles first = read(body(part("files", "a", random(600_000, 4))), 8 << 20);
				FormDataFiles second = read(body(part("files", "b", random(600_000, 5))), 8 << 20)) {
			assertThat(this.memory.used()).isLessThanOrEqualTo(1 << 20);
			assertThat(bytes(second.files().get(0))).isEqualTo(random(600_000, 5));
		}
		assertThat(this.memory.used()).isZero();
	}

	@Test
	void refusesMoreFilesThanAllowedWith413() {
		byte[] body = body(part("files", "a", new byte[10]), part("files", "b", new byte[10]),
				part("files", "c", new byte[10]));
		assertThatThrownBy(() -> FormDataFiles.read(new ByteArrayInputStream(body), TYPE, 2, 100, 1000, 8 << 20,
				this.memory))
			.isInstanceOfSatisfying(ErrorResponseException.class,
					(ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
		assertThat(this.memory.used()).isZero();
	}

	@Test
	void refusesAFileLargerThanTheLimitWith413() {
		byte[] body = body(part("files", "a", new byte[2000]));
		assertThatThrownBy(() -> FormDataFiles.read(new ByteArrayInputStream(body), TYPE, 10, 100, 1999, 8 << 20,
				this.memory))
			.isInstanceOfSatisfying(ErrorResponseException.class,
					(ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
		assertThat(this.memory.used()).isZero();
	}

	@Test
	void aTruncatedBodyIsMalformedAndKeepsNothing() {
		byte[] whole = body(part("files", "a", random(5000, 6)));
		byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 40);
		assertThatThrownBy(() -> read(truncated, 8 << 20))
			.isInstanceOfSatisfying(ErrorResponseException.class,
					(ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST));
		assertThat(this.memory.used()).isZero();
	}

	private FormDataFiles read(byte[] body, long perRequest) throws IOException {
		return FormDataFiles.read(new ByteArrayInputStream(body), TYPE, 500, 1000, Long.MAX_VALUE, perRequest,
				this.memory);
	}

	private static byte[] part(String name, String filename, byte[] content) {
		String head = "--xyzzy\r\nContent-Disposition: form-data; name=\"" + name + "\""
				+ ((filename != null) ? "; filename=\"" + filename + "\"" : "") + "\r\n\r\n";
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
		out.writeBytes(content);
		out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		return out.toByteArray();
	}

	private static byte[] body(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] p : parts) {
			out.writeBytes(p);
		}
		out.writeBytes("--xyzzy--\r\n".getBytes(StandardCharsets.ISO_8859_1));
		return out.toByteArray();
	}

	private static byte[] random(int size, long seed) {
		byte[] b = new byte[size];
		new Random(seed).nextBytes(b);
		return b;
	}

	private static byte[] bytes(IncomingFile file) throws IOException {
		try (InputStream in = file.open()) {
			return in.readAllBytes();
		}
	}

	private static List<Path> tempFiles() throws IOException {
		try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return s.filter((p) -> p.getFileName().toString().startsWith("dicomflow-upload-")).toList();
		}
	}

}
