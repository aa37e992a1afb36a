package io.dicomflow.upload.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The request log line of the Results API: what it holds, and that bodies, query strings, exception messages
 * and raw ids (all of which may carry patient data) never reach it. The end-to-end check on the running
 * product, with real requests through Spring Security and MVC, is in ElementsApiIT.
 */
@ExtendWith(OutputCaptureExtension.class)
class ResultsRequestLogTest {

	private static final String PATIENT_ID = "Doe^John-19700101";

	private final ResultsRequestLog filter = new ResultsRequestLog();

	@Test
	void aProblemIsLoggedWithRouteStatusOwnerDurationAndTypeButNoPatientValue(CapturedOutput output)
			throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/elements/" + PATIENT_ID + "/");
		request.setQueryString("device_name=" + PATIENT_ID);
		authenticate(request, "alice");
		MockHttpServletResponse response = new MockHttpServletResponse();

		filter.doFilter(request, response, (req, res) -> {
			// what Spring MVC leaves behind when ElementsController throws its 404 problem
			req.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, ElementProblems.notFound(PATIENT_ID));
			((MockHttpServletResponse) res).setStatus(404);
			res.getWriter().write("{\"detail\": \"no element " + PATIENT_ID + "\"}");
		});

		String line = onlyLine(output);
		assertThat(line).containsPattern("INFO .* results-api GET /api/elements/\\{id\\} id#=[0-9a-f]{12} status=404 "
				+ "owner=alice durationMs=\\d+ problem=https://dicomflow.io/problems/not-found "
				+ "error=ErrorResponseException$");
		assertThat(line).contains(ResultsRequestLog.idHash("/api/elements/" + PATIENT_ID));
		assertThat(output.getAll()).doesNotContain("Doe").doesNotContain("John").doesNotContain("19700101");
	}

	@Test
	void aCreatedElementLogsNoBody(CapturedOutput output) throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/elements/");
		String body = "{\"id\": \"" + PATIENT_ID + "\", \"data\": [\"1 2 3\"], \"device_name\": \"CT SCAN\"}";
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		authenticate(request, "bob");

		filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			req.getInputStream().readAllBytes();
			((MockHttpServletResponse) res).setStatus(201);
		});

		assertThat(onlyLine(output)).containsPattern(
				"results-api POST /api/elements status=201 owner=bob durationMs=\\d+ problem=- error=-$");
		assertThat(output.getAll()).doesNotContain(PATIENT_ID).doesNotContain("CT SCAN").doesNotContain("1 2 3");
	}

	@Test
	void aRefusedRequestIsLoggedWithoutOwner(CapturedOutput output) throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/elements");

		filter.doFilter(request, new MockHttpServletResponse(),
				(req, res) -> ((MockHttpServletResponse) res).setStatus(401));

		assertThat(onlyLine(output)).containsPattern("results-api GET /api/elements status=401 owner=- durationMs=\\d+ "
				+ "problem=- error=-$");
	}

	@Test
	void anEscapedExceptionIsA500WarningWithItsClassButNotItsMessage(CapturedOutput output) {
		MockHttpServletRequest request = new MockHttpServletRequest("PATCH", "/api/elements/x1/versions");
		authenticate(request, "admin");

		assertThatThrownBy(() -> filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			throw new IllegalStateException("patient " + PATIENT_ID + " broke it");
		})).isInstanceOf(IllegalStateException.class);

		assertThat(onlyLine(output)).containsPattern("WARN .* results-api PATCH /api/elements/\\{id\\}/versions "
				+ "id#=[0-9a-f]{12} status=500 owner=admin durationMs=\\d+ problem=- error=IllegalStateException$");
		assertThat(output.getAll()).doesNotContain(PATIENT_ID);
	}

	@Test
	void routesAndHashes() {
		assertThat(Map.of("/api/elements", ResultsRequestLog.route("/api/elements"), "/api/elements/{id}",
				ResultsRequestLog.route("/api/elements/a%20b/"), "/api/elements/{id}/…",
				ResultsRequestLog.route("/api/elements/a/b/c"), "/api/elements/{id}/thumbnail",
				ResultsRequestLog.route("/api/elements/a/thumbnail")))
			.allSatisfy((expected, actual) -> assertThat(actual).isEqualTo(expected));
		// one id, however it is written in the path, is one hash; "aabbcc1" is the brief's example id
		assertThat(ResultsRequestLog.idHash("/api/elements/aabbcc1/")).isEqualTo(" id#=" + sha256Prefix("aabbcc1"))
			.isEqualTo(ResultsRequestLog.idHash("/api/elements/aabbcc1/versions"))
			.isEqualTo(ResultsRequestLog.idHash("/api/elements/%61abbcc1"));
		assertThat(ResultsRequestLog.idHash("/api/elements/%zz")).startsWith(" id#=");
	}

	private static String sha256Prefix(String text) throws RuntimeException {
		try {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
				.digest(text.getBytes(StandardCharsets.UTF_8));
			return java.util.HexFormat.of().formatHex(digest).substring(0, 12);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void authenticate(MockHttpServletRequest request, String user) {
		TestingAuthenticationToken authentication = new TestingAuthenticationToken(user, null, "ROLE_USER");
		// as the bearer-token filter keeps it (RequestAttributeSecurityContextRepository)
		request.setAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME,
				new SecurityContextImpl(authentication));
	}

	private static String onlyLine(CapturedOutput output) {
		List<String> lines = output.getAll().lines().filter((line) -> line.contains("results-api")).toList();
		assertThat(lines).hasSize(1);
		return lines.get(0);
	}

}
