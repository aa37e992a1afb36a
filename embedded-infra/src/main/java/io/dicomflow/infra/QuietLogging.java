package io.dicomflow.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded servers from logging at DEBUG when the host has not configured logging yet.
 *
 * <p>None of the four libraries ships a logging configuration, and logback's fallback (no logback.xml, or before
 * Spring Boot initialises logging) logs everything at DEBUG: S3Proxy's Jetty alone wrote hundreds of MB in one test
 * run. So, when logback is the SLF4J backend and the root logger is at DEBUG or TRACE, the server libraries' loggers
 * that have no level of their own are set to INFO. An explicit level always wins, and Spring Boot's logging
 * initialisation resets the logger context anyway. Other backends are left alone.
 */
final class QuietLogging {

    private static final List<String> LIBRARY_LOGGERS = List.of(
            "org.gaul", "org.apache.qpid", "qpid", "io.zonky", "com.icegreen", "software.amazon.awssdk",
            "org.apache.hc", "org.apache.derby");

    private QuietLogging() {
    }

    static void apply() {
        try {
            Class.forName("ch.qos.logback.classic.LoggerContext", false, QuietLogging.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return;
        }
        Logback.apply();
    }

    /** Separate class so logback classes are only loaded when logback is present. */
    private static final class Logback {
        static void apply() {
            if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
                return;
            }
            ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            if (root.getEffectiveLevel().isGreaterOrEqual(Level.INFO)) {
                return;
            }
            for (String name : LIBRARY_LOGGERS) {
                ch.qos.logback.classic.Logger logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.INFO);
                }
            }
        }
    }
}
