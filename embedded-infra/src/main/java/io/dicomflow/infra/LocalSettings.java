package io.dicomflow.infra;

/** Overrides for LOCAL mode: a system property wins over an environment variable, which wins over the default. */
final class LocalSettings {

    private LocalSettings() {
    }

    /**
     * @param name e.g. {@code pg.url}: read from system property {@code dicomflow.local.pg.url},
     *             then environment variable {@code DICOMFLOW_LOCAL_PG_URL}
     */
    static String get(String name, String defaultValue) {
        String value = System.getProperty("dicomflow.local." + name);
        if (value == null || value.isBlank()) {
            value = System.getenv("DICOMFLOW_LOCAL_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        }
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    static String randomSuffix() {
        return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
