package io.dicomflow.cli.upload;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** What happened to one local file: its upload outcome, then (with --watch) its analysis. Guarded by its own lock. */
final class FileReport {

    static final String ACCEPTED = "ACCEPTED";
    /** The owner already has this instance with these bytes: the existing file (and its analysis) stands for it. */
    static final String DUPLICATE = "DUPLICATE";
    /** Not an outcome of the server: the request itself failed (HTTP error, I/O). */
    static final String ERROR = "ERROR";

    final Path path;
    final long size;
    private String outcome;
    private String uploadId;
    private String fileId;
    private String sopInstanceUid;
    private JsonNode rejection;
    private String error;
    private String state;
    private Map<String, Object> result;
    private Map<String, Object> failure;

    FileReport(Path path, long size) {
        this.path = path;
        this.size = size;
    }

    synchronized void outcome(String outcome, String uploadId, JsonNode file) {
        this.outcome = outcome;
        // a duplicate names the upload its existing file belongs to
        this.uploadId = file.path("uploadId").isString() ? file.path("uploadId").asString() : uploadId;
        this.fileId = text(file, "fileId");
        this.sopInstanceUid = text(file, "sopInstanceUid");
        JsonNode rejection = file.path("rejection");
        this.rejection = rejection.isObject() ? rejection : null;
        if (stored()) {
            this.state = "RECEIVED";
        }
    }

    synchronized void error(String message) {
        this.outcome = ERROR;
        this.error = message;
    }

    synchronized String outcome() {
        return outcome;
    }

    /** Accepted, or a duplicate of a file already stored: either way there is (or will be) an analysis to wait for. */
    synchronized boolean stored() {
        return (ACCEPTED.equals(outcome) || DUPLICATE.equals(outcome)) && fileId != null && uploadId != null;
    }

    synchronized String uploadId() {
        return uploadId;
    }

    synchronized String fileId() {
        return fileId;
    }

    synchronized String state() {
        return state;
    }

    synchronized boolean analysed() {
        return "DONE".equals(state) || "FAILED".equals(state);
    }

    /** Moves on to {@code state}; a final state is never left. */
    synchronized void state(String newState) {
        if (!analysed() && newState != null) {
            state = newState;
        }
    }

    synchronized void done(JsonNode figures) {
        if (analysed()) {
            return;
        }
        state = "DONE";
        result = new LinkedHashMap<>();
        result.put("dataSize", figures.path("dataSize").asLong());
        result.put("averageBeforeNormalization", figures.path("averageBeforeNormalization").asDouble());
        result.put("averageAfterNormalization", figures.path("averageAfterNormalization").asDouble());
        result.put("deviceName", text(figures, "deviceName"));
    }

    synchronized void failed(String code, String reason) {
        if (analysed()) {
            return;
        }
        state = "FAILED";
        failure = new LinkedHashMap<>();
        failure.put("code", code);
        failure.put("reason", reason);
    }

    /** One line of text describing the upload outcome (without the path). */
    synchronized String outcomeDetail() {
        if (ERROR.equals(outcome)) {
            return error;
        }
        if (rejection != null) {
            String attribute = text(rejection, "attribute");
            return text(rejection, "code") + ": " + text(rejection, "message")
                    + (attribute != null ? " (" + attribute + ")" : "");
        }
        return "";
    }

    synchronized String analysisDetail() {
        if (result != null) {
            return "dataSize=" + result.get("dataSize") + "  averageBeforeNormalization="
                    + result.get("averageBeforeNormalization") + "  averageAfterNormalization="
                    + result.get("averageAfterNormalization")
                    + (result.get("deviceName") != null ? "  deviceName=" + result.get("deviceName") : "");
        }
        if (failure != null) {
            return failure.get("code") + ": " + failure.get("reason");
        }
        return "";
    }

    synchronized Map<String, Object> toJson(boolean watch) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", path.toString());
        json.put("size", size);
        json.put("outcome", outcome);
        json.put("uploadId", uploadId);
        json.put("fileId", fileId);
        json.put("sopInstanceUid", sopInstanceUid);
        json.put("rejection", rejection);
        json.put("error", error);
        if (watch) {
            json.put("state", state);
            json.put("result", result);
            json.put("failure", failure);
        }
        return json;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asString();
    }
}
