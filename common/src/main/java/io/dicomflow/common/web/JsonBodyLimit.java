package io.dicomflow.common.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps JSON request bodies: a JSON body is parsed into memory whole (a tree or a record), so one larger than
 * {@code dicomflow.web.max-json-body} is answered 413 problem+json before any parsing, whether its size is
 * declared (Content-Length) or not (chunked: at most the limit plus one byte is read to find out). Other bodies
 * (multipart, tus, DICOM) are streamed by their routes under their own limits and pass untouched.
 */
public class JsonBodyLimit extends OncePerRequestFilter {

	/** The problem type, shared with the upload routes' own "too large" answers. */
	public static final URI TOO_LARGE = URI.create("https://dicomflow.io/problems/too-large");

	private final int maxBytes;

	private final JsonMapper json;

	public JsonBodyLimit(int maxBytes, JsonMapper json) {
		this.maxBytes = maxBytes;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isJson(request.getContentType())) {
			chain.doFilter(request, response);
			return;
		}
		if (request.getContentLengthLong() > this.maxBytes) {
			tooLarge(response);
			return;
		}
		byte[] body = request.getInputStream().readNBytes(this.maxBytes + 1);
		if (body.length > this.maxBytes) {
			tooLarge(response);
			return;
		}
		chain.doFilter(new ReadBody(request, body), response);
	}

	static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
		return type.equals("application/json") || type.endsWith("+json");
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"a JSON body is at most " + this.maxBytes + " bytes");
		problem.setType(TOO_LARGE);
		problem.setTitle("Too large");
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// the rest of the body is left to the container (a 413 closes the connection)
		byte[] body = this.json.writeValueAsBytes(problem);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** The request with its body already read into memory (at most the limit). */
	private static final class ReadBody extends HttpServletRequestWrapper {

		private final byte[] body;

		ReadBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {
				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body has been read already");
				}
			};
		}

		@Override
		public java.io.BufferedReader getReader() {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
					java.nio.charset.Charset.forName(getCharacterEncoding() != null ? getCharacterEncoding() : "UTF-8")));
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
