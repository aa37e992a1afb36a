package io.dicomflow.standalone;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import io.dicomflow.common.messaging.Topology;
import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.dicomflow.standalone.auth.EmbeddedAuthorizationServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People in a real browser (the system's headless Chromium) using the portal: they sign in through the embedded
 * authorization server (authorization code + PKCE, the login form), upload through the resumable tus route with
 * progress bars, see each file's outcome and its analysis pushed over the WebSocket, resume an upload cut by a
 * reload, find their history after a reload, and see nothing of another user's; an admin re-queues a parked
 * analysis. Tokens live 15 s here, so every test also runs across silent renewals. Skipped when Chromium or its
 * driver is not installed, unless {@code -Dinterop=required}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserIT {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(15);

	private static final String SMALL = "pydicom-MR_small.dcm";

	/** 510 KB: 16 tus chunks of 32 KB, enough to cut an upload in the middle. */
	private static final String LARGE = "pydicomdata-MR-SIEMENS-DICOM-WithOverlays.dcm";

	private static Infrastructure infrastructure;

	private static EmbeddedAuthorizationServer issuer;

	private static DicomflowServices services;

	private static ChromeDriver browser;

	private static WebDriverWait wait;

	private static Path files;

	private static String[] missing;

	/** The result of alice's first upload, for the other user's attempt at it. */
	private static String aliceResultId;

	@BeforeAll
	static void start() throws Exception {
		missing = new String[] { Interop.missing(Files.isExecutable(CHROMIUM), "Chromium (" + CHROMIUM + ")", "chromium"),
				Interop.missing(Files.isExecutable(CHROMEDRIVER), "ChromeDriver (" + CHROMEDRIVER + ")",
						"chromium-driver") };
		if (missing[0] != null || missing[1] != null) {
			return; // each test is skipped (or failed, -Dinterop=required) by requireBrowser
		}
		infrastructure = Infrastructure.start(InfraOptions.forTests());
		int port = EmbeddedAuthorizationServer.freePort();
		issuer = EmbeddedAuthorizationServer.start("http://127.0.0.1:" + port, "127.0.0.1", "127.0.0.1",
				TOKEN_LIFETIME);
		Map<String, Object> properties = new LinkedHashMap<>(infrastructure.springProperties());
		properties.put("dicomflow.storage.create-bucket", true);
		properties.putAll(DemoUsers.properties());
		properties.putAll(issuer.resourceServerProperties());
		properties.put("dicomflow.portal.issuer", issuer.issuer());
		properties.put("dicomflow.portal.tus-chunk-size", "32KB");
		services = DicomflowServices.start(properties, port);
		files = Files.createTempDirectory("portal");
		for (String name : List.of(SMALL, LARGE)) {
			Files.write(files.resolve(name), Pipeline.corpus(name));
		}
		Files.writeString(files.resolve("notes.txt"), "not a DICOM file\n");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
					"--window-size=1280,900");
		options.setCapability("goog:loggingPrefs", logs);
		browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build(), options);
		wait = new WebDriverWait(browser, Duration.ofSeconds(60));
		// the page redraws its tables as answers arrive: an element read in between is asked for again
		wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
	}

	@BeforeEach
	void requireBrowser() {
		Interop.require(missing);
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
		if (services != null) {
			services.close();
		}
		if (issuer != null) {
			issuer.close();
		}
		if (infrastructure != null) {
			infrastructure.close();
		}
	}

	@Test
	@Order(1)
	void uploadsShowProgressOutcomesAndTheAnalysisPushedLive() throws Exception {
		signIn("alice", "alice-demo");
		wait.until(ExpectedConditions.attributeToBe(By.id("live"), "class", "on"));
		choose(SMALL, "notes.txt");

		WebElement accepted = row(SMALL);
		WebElement rejected = row("notes.txt");
		wait.until((d) -> "ACCEPTED".equals(accepted.getAttribute("data-outcome")));
		wait.until((d) -> "REJECTED".equals(rejected.getAttribute("data-outcome")));
		assertThat(rejected.findElement(By.cssSelector("td.outcome")).getText()).startsWith("REJECTED (")
			.contains("DICOM");
		assertThat(accepted.findElement(By.tagName("progress")).getAttribute("value")).isEqualTo("1");
		assertThat(browser.findElement(By.id("total-progress")).getAttribute("value")).isEqualTo("1");
		assertThat(browser.findElement(By.id("total-text")).getText()).isEqualTo("2 of 2 files, 100%");

		// the analysis arrives over the WebSocket (the poll only ever sets states), with the reference's figures
		wait.until((d) -> "true".equals(accepted.getAttribute("data-pushed")));
		JsonNode stored = Pipeline.reference(SMALL).path("pixel").path("stored");
		assertThat(accepted.findElement(By.cssSelector("td.size")).getText())
			.isEqualTo(String.valueOf(stored.path("count").asLong()));
		assertThat(Double.parseDouble(accepted.findElement(By.cssSelector("td.before")).getText()))
			.isCloseTo(stored.path("mean").asDouble(), org.assertj.core.data.Offset.offset(0.00005));
		assertThat(accepted.getAttribute("data-state")).isIn("DONE", "NOTIFIED");
		aliceResultId = accepted.findElement(By.cssSelector("a.result")).getAttribute("href").replaceAll(".*#/results/", "");

		choose(SMALL);
		wait.until((d) -> browser.findElements(By.cssSelector("#rows tr[data-outcome=DUPLICATE]")).size() == 1);
		screenshot("portal-after-upload.png");
		assertNoContentSecurityViolations();
	}

	@Test
	@Order(2)
	void anUploadCutByAReloadResumesWhereItStopped() throws Exception {
		signIn("alice", "alice-demo");
		// every request waits 150 ms, so the file's 16 chunks take a few seconds: time to reload in the middle
		browser.setNetworkConditions(new ChromiumNetworkConditions() {
			{
				setLatency(Duration.ofMillis(150));
			}
		});
		choose(LARGE);
		WebElement bar = row(LARGE).findElement(By.tagName("progress"));
		wait.until((d) -> Double.parseDouble(bar.getAttribute("value")) >= 0.2);
		assertThat(Double.parseDouble(bar.getAttribute("value"))).isLessThan(0.9);
		browser.navigate().refresh();
		browser.deleteNetworkConditions();

		wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
		choose(LARGE);
		WebElement resumed = row(LARGE);
		wait.until((d) -> "ACCEPTED".equals(resumed.getAttribute("data-outcome")));
		long offset = Long.parseLong(resumed.getAttribute("data-resumed-at"));
		assertThat(offset).as("resumed, not restarted").isPositive().isLessThan(Files.size(files.resolve(LARGE)));
		JdbcTemplate jdbc = services.upload().getBean(JdbcTemplate.class);
		assertThat(jdbc.queryForObject("select count(*) from tus_upload where owner = 'alice' and file_name = ?",
				Integer.class, LARGE))
			.as("one tus upload for the file, continued after the reload")
			.isEqualTo(1);
		wait.until((d) -> "DONE".equals(resumed.getAttribute("data-state"))
				|| "NOTIFIED".equals(resumed.getAttribute("data-state")));
	}

	@Test
	@Order(3)
	void aReloadKeepsTheHistoryWithFiltersAndResultPages() {
		signIn("alice", "alice-demo");
		browser.navigate().refresh();
		WebElement earlier = row(SMALL);
		wait.until((d) -> "DONE".equals(earlier.getAttribute("data-state"))
				|| "NOTIFIED".equals(earlier.getAttribute("data-state")));
		String size = earlier.findElement(By.cssSelector("td.size")).getText();
		assertThat(size).isNotEmpty();

		browser.findElement(By.id("nav-history")).click();
		wait.until((d) -> browser.findElements(By.cssSelector("#history-rows tr")).size() == 2);
		assertThat(browser.findElement(By.id("history-caption")).getText()).isEqualTo("Results (2)");
		String device = browser.findElement(By.cssSelector("#history-rows tr td:nth-child(2)")).getText();
		filter("f-device", device);
		wait.until((d) -> browser.findElements(By.cssSelector("#history-rows tr"))
			.stream()
			.allMatch((tr) -> tr.findElement(By.cssSelector("td:nth-child(2)")).getText().equals(device)));
		filter("f-avg-min", "1e12");
		wait.until(ExpectedConditions.textToBe(By.id("history-caption"), "Results (0)"));
		browser.findElement(By.cssSelector("#filters button[type=reset]")).click();
		wait.until(ExpectedConditions.textToBe(By.id("history-caption"), "Results (2)"));

		browser.get(services.uploadUrl() + "/#/results/" + aliceResultId);
		wait.until((d) -> browser.findElements(By.cssSelector("#version-rows tr")).size() == 1);
		String figures = browser.findElement(By.id("result-figures")).getText();
		assertThat(figures).contains("Data size").contains(size);
		assertThat(browser.findElement(By.cssSelector("#version-rows tr td:nth-child(1)")).getText()).isEqualTo("1");

		// a worker with new rules analyses the image again (ReanalysisIT does it through the worker): the row it
		// writes, with another analyser version, becomes version 2 of the same result
		services.upload()
			.getBean(JdbcTemplate.class)
			.update("insert into medical_image_result (id, owner, device_name, average_before_normalization, "
					+ "average_after_normalization, data_size, raw_data, upload_id, file_id, sop_instance_uid, sha256, "
					+ "analyzer_version, min_value, max_value, std_value, object_key) select gen_random_uuid()::text, "
					+ "owner, device_name, average_before_normalization, average_after_normalization, data_size, "
					+ "raw_data, upload_id, file_id, sop_instance_uid, sha256, 'portal-test-2', min_value, max_value, "
					+ "std_value, object_key from medical_image_result where id = ?", aliceResultId);
		browser.navigate().refresh();
		wait.until((d) -> browser.findElements(By.cssSelector("#version-rows tr")).size() == 2);
		List<WebElement> versions = browser.findElements(By.cssSelector("#version-rows tr"));
		assertThat(versions.get(0).getText()).startsWith("2 portal-test-2").endsWith("yes");
		assertThat(versions.get(1).getText()).startsWith("1 ").endsWith("no");
	}

	@Test
	@Order(4)
	void anotherUserSeesNothingOfIt() {
		signIn("bob", "bob-demo");
		browser.findElement(By.id("nav-history")).click();
		wait.until(ExpectedConditions.textToBe(By.id("history-caption"), "Results (0)"));
		assertThat(browser.findElements(By.cssSelector("#rows tr"))).isEmpty();
		assertThat(browser.findElement(By.id("nav-admin")).isDisplayed()).isFalse();

		browser.get(services.uploadUrl() + "/#/results/" + aliceResultId);
		wait.until((d) -> !browser.findElement(By.id("result-error")).getText().isEmpty());
		assertThat(browser.findElement(By.id("result-error")).getText()).containsIgnoringCase("no element");
		assertThat(browser.findElement(By.id("result-figures")).getText()).isEmpty();
		assertThat(browser.findElements(By.cssSelector("#rows tr"))).isEmpty();
	}

	@Test
	@Order(5)
	void anAdminRequeuesAParkedAnalysis() {
		String messageId = UUID.randomUUID().toString();
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		// a request the worker cannot read is parked at once
		services.worker()
			.getBean(RabbitTemplate.class)
			.send(Topology.UPLOADS_EXCHANGE, Topology.IMAGE_UPLOADED,
					new Message("{not json".getBytes(StandardCharsets.UTF_8), properties));

		signIn("admin", "admin-demo");
		browser.findElement(By.id("nav-admin")).click();
		By requeue = By.cssSelector("button[aria-label='Re-queue " + messageId + "']");
		wait.until((d) -> {
			if (browser.findElements(requeue).isEmpty()) {
				browser.navigate().refresh(); // parking takes a moment
				return false;
			}
			return true;
		});
		assertThat(browser.findElement(By.id("parked-rows")).getText()).contains("UNREADABLE");
		browser.findElement(requeue).click();
		wait.until((d) -> browser.findElement(By.id("parked-status")).getText().startsWith("Re-queued 1"));
		// it went back to the work queue, failed again and was parked again: now counted as re-queued once
		wait.until((d) -> {
			browser.navigate().refresh();
			return browser.findElements(By.xpath("//tbody[@id='parked-rows']/tr[td[1]='" + messageId + "']/td[5]"))
				.stream()
				.anyMatch((td) -> td.getText().equals("1"));
		});
		assertThat(browser.findElement(By.id("quarantine-error")).getText()).isEmpty();
		// alice uploaded in the earlier tests: her storage shows in the quota table, in bytes, as the API counts it
		assertThat(browser.findElement(By.id("quotas-error")).getText()).isEmpty();
		long aliceBytes = services.upload()
			.getBean(io.dicomflow.upload.quota.QuotaUsage.class)
			.page(500, 0)
			.stream()
			.filter((o) -> o.owner().equals("alice"))
			.findFirst()
			.orElseThrow()
			.bytesStored();
		assertThat(aliceBytes).isPositive();
		assertThat(browser.findElement(By.cssSelector("#quotas-rows tr[data-owner='alice'] td:nth-child(2)")).getText())
			.isEqualTo(Long.toString(aliceBytes));
		assertNoContentSecurityViolations();
	}

	@Test
	@Order(6)
	void theTokenIsRenewedBeforeItExpiresAndTheLiveConnectionFollows() throws Exception {
		signIn("alice", "alice-demo");
		String first = token();
		wait.until((d) -> Integer.parseInt(attributeOr(browser.findElement(By.id("who")), "data-renewals", "0")) >= 1);
		assertThat(token()).isNotEqualTo(first);
		// past the first token's end (renewed a third of its lifetime before): the notification service closed
		// that session, the page reconnected with the new token
		Thread.sleep(TOKEN_LIFETIME.toMillis() / 3 + 1000);
		wait.until(ExpectedConditions.attributeToBe(By.id("live"), "class", "on"));
		HttpResponse<String> config = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(services.uploadUrl() + "/")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(config.headers().firstValue("Content-Security-Policy").orElseThrow())
			.contains("script-src 'self'")
			.contains("connect-src 'self' " + services.notificationWebSocketUrl().replace("/ws", ""))
			.contains(issuer.issuer());
		assertNoContentSecurityViolations();
	}

	@Test
	@Order(7)
	void onANarrowScreenNothingOverflows() throws Exception {
		signIn("alice", "alice-demo");
		browser.manage().window().setSize(new org.openqa.selenium.Dimension(380, 800));
		try {
			browser.navigate().refresh();
			wait.until((d) -> !browser.findElements(By.cssSelector("#rows tr")).isEmpty());
			Object overflow = ((JavascriptExecutor) browser)
				.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
			assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
			screenshot("portal-narrow.png");
		}
		finally {
			browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
		}
	}

	@Test
	@Order(8)
	void aFileDroppedOnThePageIsUploaded() throws Exception {
		signIn("alice", "alice-demo");
		String base64 = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(files.resolve(SMALL)));
		// what a drag from the desktop hands the page: a drop event whose DataTransfer holds the file
		((JavascriptExecutor) browser).executeScript("""
				const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
				const data = new DataTransfer();
				data.items.add(new File([bytes], 'dropped.dcm', { type: 'application/dicom' }));
				document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
				""", base64);
		WebElement dropped = row("dropped.dcm");
		// the same bytes as alice's first upload: recognised as hers already
		wait.until((d) -> "DUPLICATE".equals(dropped.getAttribute("data-outcome")));
		assertThat(dropped.findElement(By.tagName("progress")).getAttribute("value")).isEqualTo("1");
	}

	/** Signs out whoever was signed in (the portal's and the issuer's session), then signs in through the form. */
	private static void signIn(String user, String password) {
		browser.get(services.uploadUrl() + "/");
		((JavascriptExecutor) browser).executeScript("window.sessionStorage.clear();");
		browser.manage().deleteAllCookies(); // the issuer's login session: cookies are per host, not per port
		browser.get(services.uploadUrl() + "/");
		wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(password);
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.textToBe(By.id("who"), user));
	}

	private static void choose(String... names) {
		StringBuilder paths = new StringBuilder();
		for (String name : names) {
			paths.append(paths.isEmpty() ? "" : "\n").append(files.resolve(name).toAbsolutePath());
		}
		browser.findElement(By.id("files")).sendKeys(paths.toString());
	}

	/** The newest row of a file name. */
	private static WebElement row(String name) {
		return wait.until((d) -> d.findElements(By.cssSelector("#rows tr"))
			.stream()
			.filter((tr) -> tr.findElement(By.cssSelector("td.name")).getText().equals(name))
			.findFirst()
			.orElse(null));
	}

	private static void filter(String id, String value) {
		WebElement input = browser.findElement(By.id(id));
		input.clear();
		input.sendKeys(value);
		browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
	}

	private static String token() {
		return (String) ((JavascriptExecutor) browser).executeScript(
				"for (const k of Object.keys(sessionStorage)) if (k.startsWith('oidc.user:')) return JSON.parse(sessionStorage.getItem(k)).access_token; return null;");
	}

	private static String attributeOr(WebElement element, String name, String otherwise) {
		String value = element.getAttribute(name);
		return (value == null || value.isEmpty()) ? otherwise : value;
	}

	private static void assertNoContentSecurityViolations() {
		List<String> violations = browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map(LogEntry::getMessage)
			.filter((message) -> message.contains("Content Security Policy"))
			.toList();
		assertThat(violations).isEmpty();
	}

	private static void screenshot(String name) throws Exception {
		File screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Files.copy(screenshot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
	}

}
