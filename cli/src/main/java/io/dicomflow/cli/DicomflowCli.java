package io.dicomflow.cli;

import java.util.concurrent.Callable;

import io.dicomflow.cli.csv.CsvStatsCommand;
import io.dicomflow.cli.diagnosis.DiagnosisCommand;
import io.dicomflow.cli.elements.ElementsCommand;
import io.dicomflow.cli.evenodd.EvenOddCommand;
import io.dicomflow.cli.inspect.InspectCommand;
import io.dicomflow.cli.ls.LsCommand;
import io.dicomflow.cli.upload.UploadCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code dicomflow} command; the work is done by its subcommands. */
@Command(
        name = "dicomflow",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Tools for DICOM, CSV and element files: list a folder, CSV statistics, "
                + "element averages on a thread pool, DICOM header and pixel inspection, bulk upload.",
        subcommands = {
                LsCommand.class,
                CsvStatsCommand.class,
                ElementsCommand.class,
                EvenOddCommand.class,
                InspectCommand.class,
                DiagnosisCommand.class,
                UploadCommand.class,
                HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  dicomflow ls ./data -r",
                "  dicomflow csv-stats patients.csv --json",
                "  dicomflow elements sample.json --threads 4 --log elements.log",
                "  dicomflow even-odd --to 20",
                "  dicomflow inspect image.dcm --tag PatientName --json",
                "  dicomflow upload ./study --watch --client-id alice --client-secret alice-demo",
                "  dicomflow help csv-stats"
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.INVALID_INPUT_LINE})
public final class DicomflowCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Entry point of the executable jar. */
    public static void main(String[] args) {
        System.exit(CliFactory.create().execute(args));
    }

    @Override
    public Integer call() {
        // Called without a subcommand: show what there is, and fail like any other usage error.
        spec.commandLine().getErr().println("dicomflow: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.INVALID_INPUT;
    }
}
