package io.dicomflow.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the interoperability tests share: the credentials the third-party clients send (one place: the header
 * value comes from {@link Pipeline#authorization}, whatever the scheme), work directories under target/, free
 * ports, running external programs with their output kept in a log file, and what happens when such a program is
 * not installed.
 */
final class Interop {

	/** The user the third-party clients act as. */
	static final String USER = "alice";

	private Interop() {
	}

	/** The Authorization header value the third-party clients send. */
	static String authorization() {
		return Pipeline.authorization(USER);
	}

	/**
	 * What is missing when a program a test needs beyond the JDK is not installed, or null when it is.
	 * @param installed whether the program was found
	 * @param program what it is and where it was looked for, e.g. "Orthanc (/usr/sbin/Orthanc)"
	 * @param debianPackages the packages that install it, e.g. "orthanc"
	 */
	static String missing(boolean installed, String program, String debianPackages) {
		return installed ? null : program + " is not installed (Debian: apt-get install " + debianPackages + ")";
	}

	/**
	 * Goes on only if nothing is {@link #missing}. A newcomer's {@code ./mvnw verify} skips the test and says what
	 * is missing and which Debian packages provide it; with {@code -Dinterop=required} (set by .ci/run) the test
	 * fails instead, so CI cannot silently stop running it. Called per test (not in {@code @BeforeAll}), so the
	 * build's summary counts each one as skipped.
	 */
	static void require(String... missing) {
		for (String what : missing) {
			if (what == null) {
				continue;
			}
			String mode = System.getProperty("interop", "optional");
			switch (mode) {
				case "required" -> Assertions.fail(what + "; -Dinterop=required makes that a failure");
				case "optional", "" -> {
					// the assumption's message lands in the test report only; the console should say it too
					System.err.println("SKIPPED: " + what + " (-Dinterop=required makes that a failure)");
					Assumptions.abort(what);
				}
				default -> Assertions.fail("-Dinterop=" + mode + ": expected optional or required");
			}
		}
	}

	static Path workDirectory(String name) {
		try {
			Path dir = Path.of("target", "interop", name + "-" + System.nanoTime()).toAbsolutePath();
			Files.createDirectories(dir);
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The absolute path of {@code program} on the PATH (or given absolute), or null. */
	static Path find(String program) {
		if (program.startsWith("/")) {
			return Files.isExecutable(Path.of(program)) ? Path.of(program) : null;
		}
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			Path candidate = Path.of(dir, program);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * A process started with its output in {@code log}; the loopback address is excluded from any proxy the
	 * environment sets, so the clients reach dicomflow directly.
	 */
	static Process start(List<String> command, Path workingDirectory, Path log) {
		ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
		builder.environment().put("no_proxy", "127.0.0.1,localhost");
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Runs a command to its end; fails with the log's tail if it does not exit with 0 in time. */
	static void run(List<String> command, Path workingDirectory, Path log, long timeoutSeconds) {
		Process process = start(command, workingDirectory, log);
		try {
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s; log: " + tail(log));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(command + " exited with " + process.exitValue() + "; log: " + tail(log));
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static String tail(Path log) {
		try {
			String text = Files.readString(log);
			return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	static void stop(Process process) {
		if (process == null) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
