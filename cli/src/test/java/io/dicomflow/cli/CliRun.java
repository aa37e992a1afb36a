package io.dicomflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * Runs {@code dicomflow} in-process through {@link CliFactory}, exactly as {@code main} does, and
 * captures what it printed.
 */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = CliFactory.create(new PrintWriter(out, true), new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** stdout parsed as one JSON document. */
    public JsonNode json() {
        return io.dicomflow.cli.support.Json.mapper().readTree(out);
    }

    /** A test resource as a file path (resources are plain files when tests run from Maven). */
    public static Path resource(String name) {
        try {
            var url = CliRun.class.getResource(name.startsWith("/") ? name : "/" + name);
            if (url == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static java.util.List<String> resourceLines(String name) {
        return new String(resourceBytes(name), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    public static byte[] resourceBytes(String name) {
        try (InputStream in = CliRun.class.getResourceAsStream(name.startsWith("/") ? name : "/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
