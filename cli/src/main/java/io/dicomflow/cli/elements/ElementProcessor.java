package io.dicomflow.cli.elements;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.dicomflow.common.analysis.NumericAnalysis;
import io.dicomflow.common.analysis.PixelStatistics;
import tools.jackson.databind.JsonNode;

/**
 * Processes elements on a fixed pool of N worker threads. Submitting blocks while 2N elements are
 * queued or running, so a reader faster than the workers cannot pile the whole file up in memory.
 * Outcomes are returned in file order, whatever order the workers finish in.
 */
public final class ElementProcessor implements AutoCloseable {

    private final ExecutorService pool;
    private final Semaphore inFlight;
    private final ElementParser parser = new ElementParser();
    private final ElementLog log;
    private final List<Future<ElementOutcome>> outcomes = new ArrayList<>();

    public ElementProcessor(int threads, ElementLog log) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.pool = Executors.newFixedThreadPool(threads, new WorkerThreads());
        this.inFlight = new Semaphore(2 * threads);
        this.log = log;
    }

    /** Queues one element; waits while the pool is saturated. */
    public void submit(String key, JsonNode element) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing element " + key, e);
        }
        try {
            outcomes.add(pool.submit(() -> {
                try {
                    return process(key, element);
                } finally {
                    inFlight.release();
                }
            }));
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    /** Waits for every submitted element and returns the outcomes in submission order. */
    public List<ElementOutcome> finish() throws InterruptedException {
        List<ElementOutcome> results = new ArrayList<>(outcomes.size());
        for (Future<ElementOutcome> outcome : outcomes) {
            try {
                results.add(outcome.get());
            } catch (ExecutionException e) {
                // process() turns every failure into a Skipped outcome; this is a bug if reached.
                throw new IllegalStateException("element task failed: " + e.getCause(), e.getCause());
            }
        }
        return results;
    }

    private ElementOutcome process(String key, JsonNode node) {
        String id = idOf(node);
        try {
            Element element = parser.parse(key, node);
            PixelStatistics statistics = NumericAnalysis.of(element.values());
            ElementOutcome.Processed processed = new ElementOutcome.Processed(key, element.id(),
                    element.deviceName(), statistics.count(), (long) statistics.min(), (long) statistics.max(),
                    statistics.mean(), statistics.averageAfterNormalization(),
                    Thread.currentThread().getName());
            log.info("processed key=" + key + " id=" + element.id() + " size=" + processed.size()
                    + " average=" + processed.average()
                    + " averageAfterNormalization=" + processed.averageAfterNormalization());
            return processed;
        } catch (MalformedElementException e) {
            log.warn("skipped key=" + key + " id=" + id + ": " + e.getMessage());
            return new ElementOutcome.Skipped(key, id, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("failed key=" + key + " id=" + id + ": " + e);
            return new ElementOutcome.Skipped(key, id, "processing failed: " + e);
        }
    }

    private static String idOf(JsonNode node) {
        JsonNode id = node != null && node.isObject() ? node.get("id") : null;
        return id != null && (id.isString() || id.isIntegralNumber()) ? id.asString() : null;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Daemon threads named element-worker-1..N, so a stuck worker never keeps the CLI alive. */
    private static final class WorkerThreads implements ThreadFactory {
        private final AtomicInteger counter = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "element-worker-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
