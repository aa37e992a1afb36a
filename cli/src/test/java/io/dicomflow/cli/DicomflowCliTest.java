package io.dicomflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DicomflowCliTest {

    @ParameterizedTest
    @ValueSource(strings = {"ls", "csv-stats", "elements", "even-odd", "inspect", "diagnosis"})
    void everyCommandHasHelpWithExamplesAndExitCodes(String command) {
        CliRun run = CliRun.of(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: dicomflow " + command)
                .contains("Examples:")
                .contains("dicomflow " + command + " ")
                .contains("Exit codes:")
                .contains("2   invalid input");
        assertThat(CliRun.of(command, "-V").out()).startsWith("dicomflow ");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).startsWith("dicomflow: missing command").contains("Commands:");
    }

    @Test
    void unknownCommandOrOptionIsAUsageError() {
        CliRun unknownCommand = CliRun.of("download", "x.dcm");
        CliRun unknownOption = CliRun.of("ls", ".", "--colour");

        assertThat(unknownCommand.exitCode()).isEqualTo(2);
        assertThat(unknownCommand.err()).contains("Unmatched arguments").contains("dicomflow --help");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--colour'").contains("dicomflow ls --help");
    }
}
