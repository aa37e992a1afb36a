package io.dicomflow.cli.support;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr for work measured in bytes read: {@code csv-stats  [#####.....]
 * 48%  14.2 MB of 29.3 MB}. It appears only after the first second (short runs stay quiet), is
 * redrawn five times a second by a daemon thread, and is erased when the work ends. It is shown only
 * on an interactive terminal ({@link #interactive()}), so pipes, files and tests never see it.
 */
public final class ProgressMeter implements AutoCloseable {

    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintWriter err;
    private final AtomicLong done = new AtomicLong();
    private final AtomicBoolean shown = new AtomicBoolean();
    private final ScheduledExecutorService ticker;

    private ProgressMeter(String label, long total, PrintWriter err, long delayMillis, boolean enabled) {
        this.label = label;
        this.total = total;
        this.err = err;
        if (enabled) {
            ticker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "progress");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleAtFixedRate(this::draw, delayMillis, 200, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** A meter shown on interactive terminals only. */
    public static ProgressMeter start(String label, long totalBytes, PrintWriter err) {
        return new ProgressMeter(label, totalBytes, err, 1000, interactive());
    }

    /** For tests: always enabled, with the given delay before the first drawing. */
    static ProgressMeter startForTest(String label, long totalBytes, PrintWriter err, long delayMillis) {
        return new ProgressMeter(label, totalBytes, err, delayMillis, true);
    }

    /** stdin and stdout are a terminal, and DICOMFLOW_NO_PROGRESS is not set. */
    public static boolean interactive() {
        return System.console() != null && System.getenv("DICOMFLOW_NO_PROGRESS") == null;
    }

    /** Counts the bytes read through {@code in} as progress. */
    public InputStream track(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    done.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    done.addAndGet(n);
                }
                return n;
            }
        };
    }

    /** Counts {@code bytes} more as done (work that is not read through {@link #track}). */
    public void advance(long bytes) {
        done.addAndGet(bytes);
    }

    /** The line as drawn (without the carriage return). */
    String render() {
        long current = Math.min(done.get(), total);
        double fraction = total <= 0 ? 1 : (double) current / total;
        int filled = (int) Math.round(fraction * WIDTH);
        return String.format(Locale.ROOT, "%s  [%s%s] %3d%%  %s of %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), Math.round(fraction * 100), megabytes(current), megabytes(total));
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private synchronized void draw() {
        shown.set(true);
        err.print("\r" + render());
        err.flush();
    }

    /** Stops drawing and erases the line, so the command's own output starts on a clean line. */
    @Override
    public synchronized void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        if (shown.get()) {
            err.print("\r" + " ".repeat(render().length()) + "\r");
            err.flush();
        }
    }
}
