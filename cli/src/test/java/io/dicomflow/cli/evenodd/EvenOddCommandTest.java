package io.dicomflow.cli.evenodd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.dicomflow.cli.CliRun;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EvenOddCommandTest {

    @Test
    void defaultPrintsOneToTwoHundredInOrder() {
        // --delay-ms 0: the default half second between numbers would make this take 100 s
        CliRun run = CliRun.of("even-odd", "--delay-ms", "0");

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(200);
        for (int i = 0; i < 200; i++) {
            int n = i + 1;
            assertThat(lines.get(i)).isEqualTo(n + " " + (n % 2 == 1 ? "odd-printer" : "even-printer"));
        }
    }

    @Test
    void largeRunThroughTheCommandStaysInOrder() {
        int n = 50_000;
        CliRun run = CliRun.of("even-odd", "--to", String.valueOf(n), "--delay-ms", "0");

        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(n);
        for (int i = 0; i < n; i++) {
            int number = Integer.parseInt(lines.get(i).substring(0, lines.get(i).indexOf(' ')));
            if (number != i + 1) {
                throw new AssertionError("line " + (i + 1) + " holds " + number);
            }
        }
    }

    @Test
    void jsonListsEachNumberWithItsThread() {
        JsonNode json = CliRun.of("even-odd", "--to", "5", "--delay-ms", "0", "--json").json();

        assertThat(json.get("to").asInt()).isEqualTo(5);
        assertThat(json.get("numbers")).hasSize(5);
        assertThat(json.get("numbers").get(3).get("number").asInt()).isEqualTo(4);
        assertThat(json.get("numbers").get(3).get("thread").asString()).isEqualTo("even-printer");
    }

    @Test
    void byDefaultHalfASecondPassesBetweenNumbers() {
        long start = System.nanoTime();
        CliRun run = CliRun.of("even-odd", "--to", "3");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly("1 odd-printer", "2 even-printer", "3 odd-printer");
        // a pause of 500 ms after each of the three numbers
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void negativeValuesAreInvalidInput() {
        CliRun negative = CliRun.of("even-odd", "--to", "-3");
        CliRun notANumber = CliRun.of("even-odd", "--to", "ten");
        CliRun badDelay = CliRun.of("even-odd", "--delay-ms", "-1");

        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).isEqualTo("dicomflow even-odd: --to must be between 0 and 10000000, got -3"
                + System.lineSeparator());
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("Invalid value for option '--to'");
        assertThat(badDelay.exitCode()).isEqualTo(2);
    }
}
