package io.dicomflow.cli.evenodd;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The brief's Task 3.1: two threads, one printing the odd numbers and one the even numbers, taking
 * turns so that the numbers come out strictly as 1, 2, 3, ... {@code to}.
 *
 * <p>The turn is the shared counter {@code next}: a thread may print only when {@code next} has its
 * parity, and it passes the turn by incrementing {@code next} and signalling. A single lock and
 * condition guard the counter, so the hand-over is also the happens-before edge that makes the
 * sink see the numbers in order. If printing fails in either thread, the other one is woken and
 * stops too, and {@link #run} rethrows the failure instead of hanging.
 */
public final class EvenOddPrinter {

    /** Where the numbers go; called by the printing threads, one call at a time, in order. */
    @FunctionalInterface
    public interface NumberSink {
        void print(int number);
    }

    static final String ODD_THREAD = "odd-printer";
    static final String EVEN_THREAD = "even-printer";

    private final int to;
    private final long delayMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition turnPassed = lock.newCondition();
    private int next = 1;
    private Throwable failure;

    /**
     * @param to          last number printed (0 prints nothing)
     * @param delayMillis pause after each number, to make the alternation visible
     */
    public EvenOddPrinter(int to, long delayMillis) {
        if (to < 0 || delayMillis < 0) {
            throw new IllegalArgumentException("to and delay must not be negative");
        }
        this.to = to;
        this.delayMillis = delayMillis;
    }

    /** Prints 1..to through {@code sink} from the two threads; returns when both have finished. */
    public void run(NumberSink sink) throws InterruptedException {
        Thread odd = new Thread(() -> printTurns(1, sink), ODD_THREAD);
        Thread even = new Thread(() -> printTurns(0, sink), EVEN_THREAD);
        odd.start();
        even.start();
        try {
            odd.join();
            even.join();
        } catch (InterruptedException e) {
            stop(e);
            odd.interrupt();
            even.interrupt();
            throw e;
        }
        lock.lock();
        try {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new IllegalStateException("printing stopped: " + failure, failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The loop of one thread: wait for a number of my parity, print it, pass the turn. */
    private void printTurns(int parity, NumberSink sink) {
        try {
            while (true) {
                int number = awaitTurn(parity);
                if (number < 0) {
                    return;
                }
                sink.print(number);
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                passTurn();
            }
        } catch (Throwable t) {
            stop(t);
        }
    }

    /** The next number when it has this parity, or -1 when everything is printed or has failed. */
    private int awaitTurn(int parity) throws InterruptedException {
        lock.lock();
        try {
            while (failure == null && next <= to && next % 2 != parity) {
                turnPassed.await();
            }
            return failure == null && next <= to ? next : -1;
        } finally {
            lock.unlock();
        }
    }

    private void passTurn() {
        lock.lock();
        try {
            next++;
            turnPassed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void stop(Throwable cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            turnPassed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
