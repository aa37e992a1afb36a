package io.dicomflow.cli.upload;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.ExitCodes;
import io.dicomflow.cli.ls.ContentSniffer;
import io.dicomflow.cli.support.Json;
import io.dicomflow.cli.support.ProgressMeter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code dicomflow upload}: bulk upload to upload-service, optionally waiting for the analyses. */
@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        header = "Upload DICOM files and folders to dicomflow; with --watch, wait for and print the analyses.",
        description = {
                "Sends every DICOM file among PATH... (folders at any depth; DICOM recognised by content, as in "
                        + "'ls') to the upload service, --parallel requests at a time, one file per request, and "
                        + "prints each file's outcome. With --watch it listens on the notification WebSocket "
                        + "(STOMP) until every accepted file is analysed (or failed) and prints the figures.",
                "Authentication, first that applies: --token or DICOMFLOW_TOKEN; --client-id/--client-secret "
                        + "or DICOMFLOW_CLIENT_ID/DICOMFLOW_CLIENT_SECRET (client_credentials grant); otherwise "
                        + "the device grant: open the printed address, enter the code. The issuer is the one the "
                        + "server names in /api/config, pinned for that server on first use (or --issuer): a server "
                        + "that later names another issuer is refused, and an issuer off this machine must use "
                        + "https. Tokens are never printed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every file accepted or already stored (and, with --watch, analysed)",
                "1:some file refused (rejected, conflict, ...), failed to upload, failed analysis or not analysed before --timeout",
                "2:invalid input: missing path, no DICOM file, server unreachable, authentication refused"
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  dicomflow upload ./study --server http://localhost:8080 --client-id alice --client-secret alice-demo",
                "  DICOMFLOW_TOKEN=... dicomflow upload a.dcm b.dcm --watch --json | jq '.files[].result'",
                "  dicomflow upload /data/scans --parallel 8 --watch --timeout 900"
        })
public final class UploadCommand implements Callable<Integer> {

    static final String DESTINATION = "/user/queue/analyses";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "DICOM files and folders (searched recursively).")
    List<Path> paths;

    @Option(names = "--server", paramLabel = "URL",
            description = "The dicomflow server (portal and REST API). Default: DICOMFLOW_SERVER or http://localhost:8080.")
    String server;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Concurrent upload requests (1-64, default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--watch", description = "Wait until every accepted file is analysed and print the results.")
    boolean watch;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long --watch (and the device sign-in) waits, in seconds (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--token", paramLabel = "JWT", description = "Access token (default: DICOMFLOW_TOKEN).")
    String token;

    @Option(names = "--client-id", paramLabel = "ID",
            description = "Confidential client for the client_credentials grant (default: DICOMFLOW_CLIENT_ID).")
    String clientId;

    @Option(names = "--client-secret", paramLabel = "SECRET", description = "Its secret (default: DICOMFLOW_CLIENT_SECRET).")
    String clientSecret;

    @Option(names = "--issuer", paramLabel = "URL",
            description = "The token issuer to trust for this server (default: DICOMFLOW_ISSUER, else the one "
                    + "pinned on first use); it replaces the pin, and a server naming another one is refused.")
    String issuer;

    @Option(names = "--issuer-pins", paramLabel = "FILE",
            description = "Where issuers are pinned per server (default: DICOMFLOW_ISSUER_PINS, else "
                    + "~/.config/dicomflow/issuers.properties).")
    Path issuerPins;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    /** While watching, GET /api/uploads/{id} this often besides the events (hidden: tests prove the push path with a long one). */
    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "5", hidden = true)
    long pollSeconds;

    private final java.util.concurrent.atomic.AtomicInteger eventsReceived = new java.util.concurrent.atomic.AtomicInteger();

    /** Several local files can stand for one stored file (identical copies: one accepted, the others duplicates). */
    private final Map<String, List<FileReport>> byFileId = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> earlyEvents = new ConcurrentHashMap<>();

    @Override
    public Integer call() {
        if (parallel < 1 || parallel > 64) {
            throw CliException.invalidInput("--parallel must be between 1 and 64: " + parallel);
        }
        if (timeoutSeconds < 1) {
            throw CliException.invalidInput("--timeout must be at least 1 second: " + timeoutSeconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        DicomFiles.Selection selection = new DicomFiles(new ContentSniffer()).select(paths);
        if (selection.files().isEmpty()) {
            throw CliException.invalidInput("no DICOM files in " + String.join(" ", paths.stream().map(Path::toString).toList())
                    + (selection.skipped().isEmpty() ? "" : " (" + selection.skipped().size() + " other files skipped)"));
        }

        ServerApi api = new ServerApi(ServerApi.newHttpClient(), serverUri());
        JsonNode config = api.config();
        String givenToken = firstNonNull(token, System.getenv("DICOMFLOW_TOKEN"));
        String issuer = null;
        if (givenToken == null || givenToken.isBlank()) {
            // credentials will be sent to the issuer: only to a pinned one, over https off this machine
            issuer = new IssuerPin(issuerPins != null ? issuerPins : IssuerPin.defaultPinFile(), err)
                    .resolve(api.server(), textOrNull(config.path("issuer")),
                            firstNonNull(this.issuer, System.getenv("DICOMFLOW_ISSUER")));
        }
        String bearer = new TokenSource(api, err).token(givenToken,
                firstNonNull(clientId, System.getenv("DICOMFLOW_CLIENT_ID")),
                firstNonNull(clientSecret, System.getenv("DICOMFLOW_CLIENT_SECRET")), issuer,
                Duration.ofSeconds(timeoutSeconds));

        List<FileReport> reports = new ArrayList<>();
        for (Path file : selection.files()) {
            reports.add(new FileReport(file, sizeOf(file)));
        }

        // Subscribe before uploading, so no analysis event can be missed; GET /api/uploads/{id} reconciles the rest.
        StompConnection events = null;
        if (watch) {
            String notifications = textOrNull(config.path("notificationsUrl"));
            if (notifications == null) {
                err.println("dicomflow upload: the server names no notification WebSocket; polling for results");
            } else {
                try {
                    events = StompConnection.open(api.http(), URI.create(notifications), bearer, DESTINATION,
                            this::onEvent, Duration.ofSeconds(Math.min(30, timeoutSeconds)));
                } catch (StompConnection.StompException e) {
                    err.println("dicomflow upload: " + e.getMessage() + "; polling for results instead");
                }
            }
            err.flush();
        }
        try {
            uploadAll(api, bearer, reports, err);
            if (!json) {
                printOutcomes(reports, selection, out);
            }
            boolean complete = true;
            if (watch) {
                complete = awaitAnalyses(api, bearer, reports, events, err);
                if (!json) {
                    printAnalyses(reports, complete, out);
                }
            }
            if (json) {
                out.println(Json.write(toJson(reports, selection, complete)));
            }
            out.flush();
            boolean allGood = reports.stream().allMatch(FileReport::stored)
                    && (!watch || reports.stream().allMatch(r -> "DONE".equals(r.state())));
            return allGood ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            if (events != null) {
                events.close();
            }
        }
    }

    private URI serverUri() {
        String value = firstNonNull(server, System.getenv("DICOMFLOW_SERVER"));
        if (value == null || value.isBlank()) {
            value = "http://localhost:8080";
        }
        try {
            URI uri = URI.create(value.strip());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw CliException.invalidInput("--server must be an http(s) URL: " + value);
        }
    }

    private void uploadAll(ServerApi api, String bearer, List<FileReport> reports, PrintWriter err) {
        long total = reports.stream().mapToLong(r -> Math.max(r.size, 0)).sum();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, reports.size()), task -> {
            Thread thread = new Thread(task, "upload");
            thread.setDaemon(true);
            return thread;
        });
        try (ProgressMeter meter = ProgressMeter.start("upload", total, err)) {
            List<Future<?>> futures = new ArrayList<>();
            for (FileReport report : reports) {
                futures.add(pool.submit(() -> {
                    uploadOne(api, bearer, report);
                    meter.advance(Math.max(report.size, 0));
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    if (e.getCause() instanceof CliException cli) {
                        throw cli;
                    }
                    throw new CliException(ExitCodes.FAILURE, "upload failed: " + e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, "interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private void uploadOne(ServerApi api, String bearer, FileReport report) {
        ServerApi.Response response;
        try {
            response = api.upload(report.path, bearer);
        } catch (IOException e) {
            report.error("cannot read file: " + e.getMessage());
            return;
        } catch (CliException e) {
            report.error(e.getMessage());
            return;
        }
        if (response.status() == 401 || response.status() == 403) {
            // the same token goes with every request: stop at once instead of failing each file
            throw CliException.invalidInput("the server refused the access token (HTTP " + response.status() + ")");
        }
        JsonNode files = response.body().path("files");
        if (files.isArray() && files.size() == 1) {
            String uploadId = textOrNull(response.body().path("uploadId"));
            JsonNode file = files.get(0);
            String outcome = textOrNull(file.path("outcome"));
            report.outcome(outcome == null ? "UNKNOWN" : outcome, uploadId, file);
            if (report.stored()) {
                byFileId.computeIfAbsent(report.fileId(), id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(report);
                JsonNode early = earlyEvents.remove(report.fileId());
                if (early != null) {
                    apply(early);
                }
            }
            return;
        }
        String detail = textOrNull(response.body().path("detail"));
        report.error("HTTP " + response.status() + (detail != null ? ": " + detail : ""));
    }

    /** A MESSAGE body from the notification service: an event envelope. */
    private void onEvent(String body) {
        JsonNode event;
        try {
            event = Json.mapper().readTree(body);
        } catch (RuntimeException e) {
            return; // not an event we understand
        }
        String fileId = textOrNull(event.path("payload").path("fileId"));
        if (fileId == null) {
            return;
        }
        eventsReceived.incrementAndGet();
        if (byFileId.containsKey(fileId)) {
            apply(event);
        } else {
            earlyEvents.put(fileId, event);
            // registered meanwhile? then apply now (apply is idempotent)
            if (byFileId.containsKey(fileId) && earlyEvents.remove(fileId) != null) {
                apply(event);
            }
        }
        synchronized (this) {
            notifyAll();
        }
    }

    private void apply(JsonNode event) {
        JsonNode payload = event.path("payload");
        for (FileReport report : byFileId.getOrDefault(textOrNull(payload.path("fileId")), List.of())) {
            switch (event.path("type").asString("")) {
                case "AnalysisCompleted" -> report.done(payload);
                case "AnalysisFailed" -> report.failed(textOrNull(payload.path("reasonCode")), textOrNull(payload.path("reason")));
                default -> {
                    // other event types: not a final state of the file
                }
            }
        }
    }

    /** Waits for every accepted file's final state; false when --timeout ran out first. */
    private boolean awaitAnalyses(ServerApi api, String bearer, List<FileReport> reports, StompConnection events,
            PrintWriter err) {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long nextReconcile = System.nanoTime(); // once right away: events sent before we subscribed
        boolean warned = false;
        while (true) {
            List<FileReport> pending = reports.stream().filter(r -> r.stored() && !r.analysed()).toList();
            if (pending.isEmpty()) {
                return true;
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                return false;
            }
            boolean pushAlive = events != null && !events.failure().isDone();
            if (events != null && !pushAlive && !warned) {
                err.println("dicomflow upload: " + events.failure().join() + "; polling for results instead");
                err.flush();
                warned = true;
            }
            if (now >= nextReconcile) {
                reconcile(api, bearer, pending);
                Duration every = pushAlive ? Duration.ofSeconds(Math.max(1, pollSeconds)) : Duration.ofSeconds(2);
                nextReconcile = System.nanoTime() + every.toNanos();
                continue;
            }
            long waitMillis = Math.max(1, Math.min(nextReconcile, deadline) - now) / 1_000_000;
            synchronized (this) {
                try {
                    wait(Math.min(waitMillis, 500));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException(ExitCodes.FAILURE, "interrupted");
                }
            }
        }
    }

    private void reconcile(ServerApi api, String bearer, List<FileReport> pending) {
        Set<String> uploads = new LinkedHashSet<>();
        pending.forEach(r -> uploads.add(r.uploadId()));
        for (String uploadId : uploads) {
            ServerApi.Response response;
            try {
                response = api.upload(uploadId, bearer);
            } catch (CliException e) {
                return; // the server is away for a moment: try again later
            }
            if (!response.ok()) {
                continue;
            }
            for (JsonNode file : response.body().path("files")) {
                for (FileReport report : byFileId.getOrDefault(file.path("id").asString(""), List.of())) {
                    reconcile(report, file);
                }
            }
        }
    }

    private static void reconcile(FileReport report, JsonNode file) {
        String state = file.path("state").asString("");
        // NOTIFIED (the owner was told) follows DONE or FAILED; its result or failure says which
        boolean notified = state.equals("NOTIFIED");
        if ((state.equals("DONE") || notified) && file.path("result").isObject()) {
            report.done(file.path("result"));
        } else if (state.equals("FAILED") || (notified && file.path("failure").isObject())) {
            report.failed(textOrNull(file.path("failure").path("code")), textOrNull(file.path("failure").path("reason")));
        } else if (!state.equals("DONE") && !notified) {
            report.state(state);
        }
    }

    private static void printOutcomes(List<FileReport> reports, DicomFiles.Selection selection, PrintWriter out) {
        for (FileReport report : reports) {
            String detail = report.outcomeDetail();
            out.printf("%-9s %s%s%n", report.outcome(), report.path, detail.isEmpty() ? "" : "  " + detail);
        }
        Map<String, Long> counts = countOutcomes(reports);
        out.printf("Uploaded %d DICOM files: %s%s%n", reports.size(), describe(counts),
                selection.skipped().isEmpty() ? "" : "; " + selection.skipped().size() + " non-DICOM files skipped");
    }

    private static void printAnalyses(List<FileReport> reports, boolean complete, PrintWriter out) {
        long done = 0;
        long failed = 0;
        long pending = 0;
        for (FileReport report : reports) {
            if (!report.stored()) {
                continue;
            }
            String state = report.state();
            if ("DONE".equals(state)) {
                done++;
            } else if ("FAILED".equals(state)) {
                failed++;
            } else {
                pending++;
            }
            String detail = report.analysisDetail();
            out.printf("%-9s %s%s%n", report.analysed() ? state : "PENDING", report.path,
                    detail.isEmpty() ? "  (still " + state + ")" : "  " + detail);
        }
        out.printf("Analysed %d files: %d done, %d failed%s%n", done + failed + pending, done, failed,
                complete ? "" : ", " + pending + " not finished before the timeout");
    }

    private Map<String, Object> toJson(List<FileReport> reports, DicomFiles.Selection selection, boolean complete) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("server", serverUri().toString());
        document.put("watch", watch);
        List<Map<String, Object>> files = new ArrayList<>();
        reports.forEach(r -> files.add(r.toJson(watch)));
        document.put("files", files);
        document.put("skipped", selection.skipped().stream().map(Path::toString).toList());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files", reports.size());
        summary.put("outcomes", countOutcomes(reports));
        if (watch) {
            summary.put("done", reports.stream().filter(r -> "DONE".equals(r.state())).count());
            summary.put("failed", reports.stream().filter(r -> "FAILED".equals(r.state())).count());
            summary.put("complete", complete);
            summary.put("eventsReceived", eventsReceived.get());
        }
        document.put("summary", summary);
        return document;
    }

    private static Map<String, Long> countOutcomes(List<FileReport> reports) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(FileReport.ACCEPTED, 0L);
        reports.forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
        return counts;
    }

    private static String describe(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((outcome, n) -> parts.add(n + " " + outcome.toLowerCase(java.util.Locale.ROOT)));
        return String.join(", ", parts);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String textOrNull(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String text = node.asString();
        return text == null || text.isBlank() ? null : text;
    }
}
