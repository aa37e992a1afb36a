package io.dicomflow.common.dicom.pixel;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a third-party codec call on its own daemon thread with a deadline. Some codecs spin forever on
 * corrupt codestreams without reading or checking interrupts (seen with the jj2000 JPEG 2000 packet
 * decoder under the mutation test); the caller gets a typed error after the deadline, and the runaway
 * thread is stopped where the JVM still allows it (Thread.stop works up to Java 19; on later JVMs the
 * daemon thread is left to spin and the limitation is logged in docs/dicom.md).
 */
final class CodecWatchdog {
    static {
        // ImageIO scans for its plugins (TwelveMonkeys, JAI) when first touched. Do it here, on the caller's
        // thread and outside any budget: a watchdog that stopped a codec thread in the middle of that class
        // initialisation (slow on a loaded machine) would leave ImageIO unusable for the rest of the JVM.
        javax.imageio.ImageIO.getImageReadersByFormatName("jpeg");
    }

    private CodecWatchdog() {
    }

    static <T> T call(String what, long budgetNanos, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "dicom-codec");
        worker.setDaemon(true);
        worker.start();
        try {
            return result.get(budgetNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stop(worker);
            throw new UnsupportedPixelDataException(what + " did not finish within "
                    + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms (corrupt codestream?)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw new UnsupportedPixelDataException(what + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(worker);
            throw new UnsupportedPixelDataException(what + " interrupted");
        }
    }

    private static void stop(Thread worker) {
        worker.interrupt();
        try {
            Thread.class.getMethod("stop").invoke(worker);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // Thread.stop is unsupported on this JVM: the daemon thread is abandoned
        }
    }
}
