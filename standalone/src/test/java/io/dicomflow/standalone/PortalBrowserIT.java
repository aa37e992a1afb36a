package io.dicomflow.standalone;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.dicomflow.standalone.auth.EmbeddedAuthorizationServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person in a real browser (the system's headless Chromium): signs in to the portal through the embedded
 * authorization server (authorization code + PKCE, the login form), uploads a DICOM file and sees its
 * analysis arrive over the WebSocket, with the reference's figures. Skipped when Chromium or its driver is not
 * installed, unless {@code -Dinterop=required}.
 */
class PortalBrowserIT {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static Infrastructure infrastructure;

	private static EmbeddedAuthorizationServer issuer;

	private static DicomflowServices services;

	private static WebDriver browser;

	private static String[] missing;

	@BeforeAll
	static void start() {
		missing = new String[] { Interop.missing(Files.isExecutable(CHROMIUM), "Chromium (" + CHROMIUM + ")", "chromium"),
				Interop.missing(Files.isExecutable(CHROMEDRIVER), "ChromeDriver (" + CHROMEDRIVER + ")",
						"chromium-driver") };
		if (missing[0] != null || missing[1] != null) {
			return; // each test is skipped (or failed, -Dinterop=required) by requireBrowser
		}
		infrastructure = Infrastructure.start(InfraOptions.forTests());
		int port = EmbeddedAuthorizationServer.freePort();
		issuer = EmbeddedAuthorizationServer.start("http://127.0.0.1:" + port);
		Map<String, Object> properties = new LinkedHashMap<>(infrastructure.springProperties());
		properties.put("dicomflow.storage.create-bucket", true);
		properties.putAll(DemoUsers.properties());
		properties.putAll(issuer.resourceServerProperties());
		properties.put("dicomflow.portal.issuer", issuer.issuer());
		services = DicomflowServices.start(properties, port);
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
					"--window-size=1280,900");
		browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build(), options);
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
	void aUserSignsInUploadsAndSeesTheAnalysisArrive() throws Exception {
		String name = "pydicom-MR_small.dcm";
		Path file = Files.createTempDirectory("portal").resolve(name);
		Files.write(file, Pipeline.corpus(name));
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

		browser.get(services.uploadUrl() + "/");
		wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("alice");
		browser.findElement(By.id("password")).sendKeys("alice-demo");
		browser.findElement(By.cssSelector("button[type=submit]")).click();

		wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
		wait.until(ExpectedConditions.attributeToBe(By.id("live"), "class", "on"));
		browser.findElement(By.id("files")).sendKeys(file.toAbsolutePath().toString());
		browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();

		wait.until(ExpectedConditions.textToBe(By.cssSelector("#rows tr td:nth-child(3)"), "DONE"));
		JsonNode stored = Pipeline.reference(name).path("pixel").path("stored");
		assertThat(browser.findElement(By.cssSelector("#rows tr td:nth-child(1)")).getText()).isEqualTo(name);
		assertThat(browser.findElement(By.cssSelector("#rows tr td:nth-child(4)")).getText())
			.isEqualTo(String.valueOf(stored.path("count").asLong()));
		assertThat(Double.parseDouble(browser.findElement(By.cssSelector("#rows tr td:nth-child(5)")).getText()))
			.isCloseTo(stored.path("mean").asDouble(), org.assertj.core.data.Offset.offset(0.00005));
		File screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Files.copy(screenshot.toPath(), Path.of("target", "portal-after-upload.png"),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

}
