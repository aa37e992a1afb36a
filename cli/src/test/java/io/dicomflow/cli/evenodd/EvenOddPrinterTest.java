package io.dicomflow.cli.evenodd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EvenOddPrinterTest {

    /** Two hundred thousand hand-overs: any missed or doubled turn would show as a gap or a repeat. */
    @Test
    @Timeout(60)
    void largeRunIsStrictlyOrderedAndEachParityHasItsOwnThread() throws InterruptedException {
        int n = 200_000;
        // Written only by the thread holding the turn; the turn hand-over (lock) publishes it.
        int[] numbers = new int[n];
        String[] threads = new String[n];
        int[] printed = {0};

        new EvenOddPrinter(n, 0).run(number -> {
            numbers[printed[0]] = number;
            threads[printed[0]] = Thread.currentThread().getName();
            printed[0]++;
        });

        assertThat(printed[0]).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            int expected = i + 1;
            if (numbers[i] != expected) {
                throw new AssertionError("position " + i + ": expected " + expected + " but was " + numbers[i]);
            }
            String expectedThread = expected % 2 == 1 ? EvenOddPrinter.ODD_THREAD : EvenOddPrinter.EVEN_THREAD;
            if (!expectedThread.equals(threads[i])) {
                throw new AssertionError(expected + " printed by " + threads[i]);
            }
        }
    }

    @Test
    void zeroAndOne() throws InterruptedException {
        List<Integer> none = new ArrayList<>();
        new EvenOddPrinter(0, 0).run(none::add);
        List<Integer> one = new ArrayList<>();
        new EvenOddPrinter(1, 0).run(one::add);

        assertThat(none).isEmpty();
        assertThat(one).containsExactly(1);
    }

    @Test
    void delayIsAppliedBetweenNumbers() throws InterruptedException {
        List<Integer> numbers = new ArrayList<>();
        long start = System.nanoTime();
        new EvenOddPrinter(6, 20).run(numbers::add);

        assertThat(numbers).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
    }

    @Test
    @Timeout(10)
    void failureInOneThreadStopsBothAndIsRethrown() {
        List<Integer> numbers = new ArrayList<>();
        assertThatThrownBy(() -> new EvenOddPrinter(1000, 0).run(number -> {
            if (number == 42) {
                throw new IllegalStateException("sink broke at 42");
            }
            numbers.add(number);
        })).isInstanceOf(IllegalStateException.class).hasMessage("sink broke at 42");
        assertThat(numbers).hasSize(41).endsWith(41);
    }
}
