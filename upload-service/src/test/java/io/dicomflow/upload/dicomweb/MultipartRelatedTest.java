package io.dicomflow.upload.dicomweb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MultipartRelatedTest {

	@TempDir
	Path dir;

	@Test
	void partsAreSpooledByteForByteWithTheirHeaders() throws Exception {
		byte[] first = random(200_000, 1);
		byte[] second = random(3, 2);
		byte[] body = body("b0undary", "preamble to ignore\r\n", part("application/dicom", first),
				part("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", second));

		List<MultipartRelated.Part> parts = spool(body, "b0undary");

		assertThat(parts).hasSize(2);
		assertThat(Files.readAllBytes(parts.get(0).file())).isEqualTo(first);
		assertThat(parts.get(0).size()).isEqualTo(first.length);
		assertThat(parts.get(0).contentType()).isEqualTo("application/dicom");
		assertThat(Files.readAllBytes(parts.get(1).file())).isEqualTo(second);
		assertThat(parts.get(1).contentType()).startsWith("application/dicom; transfer-syntax=");
	}

	@Test
	void contentThatAlmostContainsTheDelimiterIsKeptWhole() throws Exception {
		// every prefix of the delimiter, and repeated starts ("\r\n\r\n--", "--b--b"), inside the content
		String tricky = "\r\n\r\n-\r\n--\r\n--b\r\n--bo\r\n--bou--\r\n\r\n--bound\r\n--bounda\r\n--boundar-x\r\r\n--boundar";
		byte[] content = tricky.getBytes(StandardCharsets.ISO_8859_1);

		List<MultipartRelated.Part> parts = spool(body("boundary", "", part("application/dicom", content)), "boundary");

		assertThat(Files.readAllBytes(parts.get(0).file())).isEqualTo(content);
	}

	@Test
	void partialDelimitersAcrossReadBoundariesOfAStreamThatTricklesAreKept() throws Exception {
		ByteArrayOutputStream content = new ByteArrayOutputStream();
		Random random = new Random(7);
		while (content.size() < 300_000) {
			content.write("\r\n--boundar".getBytes(StandardCharsets.ISO_8859_1), 0, 1 + random.nextInt(11));
			byte[] filler = random(random.nextInt(100), random.nextLong());
			// a 'y' right after "\r\n--boundar" would complete a real delimiter
			for (int i = 0; i < filler.length; i++) {
				filler[i] = (filler[i] == 'y') ? (byte) 'z' : filler[i];
			}
			content.writeBytes(filler);
		}
		byte[] expected = content.toByteArray();
		byte[] body = body("boundary", "", part("application/dicom", expected), part("application/dicom", expected));
		// a network stream hands out a few bytes at a time, so partial matches straddle buffer refills
		InputStream trickle = new FilterInputStream(new ByteArrayInputStream(body)) {
			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				return super.read(b, off, Math.min(len, 1 + random.nextInt(17)));
			}
		};

		List<MultipartRelated.Part> parts = MultipartRelated.spool(trickle, "boundary", this.dir, 10);

		assertThat(parts).hasSize(2);
		assertThat(Files.readAllBytes(parts.get(0).file())).isEqualTo(expected);
		assertThat(Files.readAllBytes(parts.get(1).file())).isEqualTo(expected);
	}

	@Test
	void anEmptyPartAndTransportPaddingAreAccepted() throws Exception {
		byte[] body = ("--b  \r\nContent-Type: application/dicom\r\n\r\n\r\n--b\t\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--")
			.getBytes(StandardCharsets.ISO_8859_1);

		List<MultipartRelated.Part> parts = spool(body, "b");

		assertThat(parts).extracting(MultipartRelated.Part::size).containsExactly(0L, 1L);
		assertThat(parts.get(1).contentType()).isEqualTo("text/plain");
	}

	@Test
	void aBodyWithoutItsCloseDelimiterIsMalformedAndLeavesNoFiles() throws Exception {
		byte[] body = body("b", "", part("application/dicom", random(1000, 3)));
		byte[] truncated = java.util.Arrays.copyOf(body, body.length - 8);

		assertThatExceptionOfType(MultipartRelated.MalformedException.class).isThrownBy(() -> spool(truncated, "b"));
		try (var files = Files.list(this.dir)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void missingBoundariesHeadersOrTooManyPartsAreMalformed() {
		assertThatExceptionOfType(MultipartRelated.MalformedException.class)
			.isThrownBy(() -> spool("no boundary here".getBytes(StandardCharsets.US_ASCII), "b"));
		assertThatExceptionOfType(MultipartRelated.MalformedException.class)
			.isThrownBy(() -> spool("--b\r\nno colon\r\n\r\nx\r\n--b--".getBytes(StandardCharsets.US_ASCII), "b"));
		assertThatExceptionOfType(MultipartRelated.MalformedException.class)
			.isThrownBy(() -> spool(new byte[0], null));
		byte[] three = body("b", "", part("application/dicom", new byte[1]), part("application/dicom", new byte[1]),
				part("application/dicom", new byte[1]));
		assertThatExceptionOfType(MultipartRelated.MalformedException.class)
			.isThrownBy(() -> MultipartRelated.spool(new ByteArrayInputStream(three), "b", this.dir, 2))
			.withMessageContaining("more than 2 parts");
	}

	private List<MultipartRelated.Part> spool(byte[] body, String boundary)
			throws IOException, MultipartRelated.MalformedException {
		return MultipartRelated.spool(new ByteArrayInputStream(body), boundary, this.dir, 100);
	}

	private static byte[][] part(String contentType, byte[] content) {
		return new byte[][] { ("Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), content };
	}

	@SafeVarargs
	private static byte[] body(String boundary, String preamble, byte[][]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
		for (byte[][] part : parts) {
			out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.writeBytes(part[0]);
			out.writeBytes(part[1]);
			out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return out.toByteArray();
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

}
