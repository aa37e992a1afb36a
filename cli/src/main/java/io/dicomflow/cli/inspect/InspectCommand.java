package io.dicomflow.cli.inspect;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.ExitCodes;
import io.dicomflow.cli.support.InputFiles;
import io.dicomflow.cli.support.Json;
import io.dicomflow.cli.support.Numbers;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.records.PatientRecord;
import io.dicomflow.common.dicom.records.StudyRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dicomflow inspect}: the brief's Tasks 1 and 2 on one DICOM file. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        header = "Patient and study records, chosen tags and pixel statistics of a DICOM file.",
        description = {
                "Shows the patient record (name, age, birth date, sex, weight, patient ID, its type and issuer) "
                        + "and the study record (modality, study date and time, Study Instance UID, series number, "
                        + "number of frames) of a DICOM file, the value of each --tag, and pixel statistics "
                        + "(count, min, max, mean, std, average after normalisation) when the pixels decode.",
                "--json prints exactly one JSON object {file, transferSyntaxUID, attributes, pixelStats, "
                        + "rescaledStats, pixelError, error}, also when the file is not readable DICOM (exit code 2): "
                        + "the attributes read before the error are then printed with it."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.INVALID_INPUT_LINE},
        footerHeading = "%nExamples:%n",
        footer = {
                "  dicomflow inspect image.dcm",
                "  dicomflow inspect image.dcm --tag PatientName --tag 0028,0010 --tag '(0009,0010)'",
                "  dicomflow inspect image.dcm --tag '0x0008, 0x0016'",
                "  dicomflow inspect image.dcm --records",
                "  dicomflow inspect image.dcm --json | jq .pixelStats"
        })
public final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The DICOM file.")
    Path file;

    @Option(names = "--tag", paramLabel = "KEYWORD|gggg,eeee",
            description = "An attribute to show (repeatable): a keyword such as PatientName, or a tag number.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--no-pixels", description = "Do not decode the pixels (header only).")
    boolean noPixels;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--records", description = "Print the file's PatientRecord and StudyRecord (the brief's Task 2 "
            + "types, as their toString shows them) instead of the full report.")
    boolean records;

    @Override
    public Integer call() throws IOException {
        List<RequestedTag> requested = tags.stream().map(RequestedTag::parse).toList();
        InputFiles.requireReadableFile(file);
        if (records) {
            if (json || !tags.isEmpty()) {
                throw CliException.invalidInput("--records prints the two records only: it excludes --json and --tag");
            }
            return printRecords();
        }
        Inspection inspection = new Inspector().inspect(file, requested, !noPixels);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(inspection)));
        } else if (inspection.hasContent()) {
            printText(inspection, out);
        }
        out.flush();
        if (!inspection.readable()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("dicomflow inspect: " + file + ": " + inspection.error().describe());
            err.flush();
            return ExitCodes.INVALID_INPUT;
        }
        return ExitCodes.OK;
    }

    /** The brief's Task 2 types, built by common from the file's header. */
    private int printRecords() throws IOException {
        DicomHeader header;
        try {
            header = DicomReader.create().readHeader(file);
        } catch (DicomParseException e) {
            throw CliException.invalidInput(file + ": " + ParseError.of(e).describe());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(PatientRecord.from(header));
        out.println(StudyRecord.from(header));
        out.flush();
        return ExitCodes.OK;
    }

    /** The documented --json document (docs/cli.md): these seven keys, always all present. */
    static Map<String, Object> toJson(Inspection inspection) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("file", inspection.file());
        document.put("transferSyntaxUID", inspection.transferSyntaxUid());
        document.put("attributes", inspection.attributes());
        document.put("pixelStats", inspection.pixelStats());
        document.put("rescaledStats", inspection.rescaledStats());
        document.put("pixelError", inspection.pixelError());
        document.put("error", inspection.error());
        return document;
    }

    private static void printText(Inspection inspection, PrintWriter out) {
        out.println("File: " + inspection.file());
        out.println("Transfer syntax: " + (inspection.transferSyntaxUid() == null ? "not read"
                : inspection.transferSyntaxUid()));
        for (String warning : inspection.warnings()) {
            out.println("Reader warning: " + warning);
        }
        out.println();
        printFields("Patient", inspection.patient(), out);
        out.println();
        printFields("Study", inspection.study(), out);
        if (!inspection.requested().isEmpty()) {
            out.println();
            out.println("Requested tags");
            for (Inspection.RequestedValue requested : inspection.requested()) {
                out.printf("  %-40s %s%n", requested.tag().label() + ":",
                        show(requested.value()));
            }
        }
        out.println();
        if (!inspection.readable()) {
            out.println("Not readable past offset " + inspection.error().offset() + ": the values above were read "
                    + "before the error (" + inspection.error().message() + ")");
        } else if (inspection.pixelStats() != null) {
            printStats("Pixels (stored values, all frames and samples)", inspection.pixelStats(), out);
            if (inspection.rescaledStats() != null) {
                printStats("Pixels in modality units (Rescale Slope/Intercept)", inspection.rescaledStats(), out);
            }
        } else {
            out.println("Pixels: not decoded: " + inspection.pixelError());
        }
    }

    private static void printFields(String title, List<Inspection.Field> fields, PrintWriter out) {
        out.println(title);
        for (Inspection.Field field : fields) {
            out.printf("  %-22s %s%n", field.label() + ":", show(field.value()));
        }
    }

    /** "not present" for an absent attribute, "(empty)" for one present without a value. */
    private static String show(java.util.Optional<Object> value) {
        return value.map(AttributeValues::text).map(text -> text.isEmpty() ? "(empty)" : text).orElse("not present");
    }

    private static void printStats(String title, StatsView stats, PrintWriter out) {
        out.println(title);
        out.printf("  %-22s %d%n", "Count:", stats.count());
        out.printf("  %-22s %s%n", "Min:", Numbers.format(stats.min().doubleValue()));
        out.printf("  %-22s %s%n", "Max:", Numbers.format(stats.max().doubleValue()));
        out.printf("  %-22s %s%n", "Mean:", Numbers.format(stats.mean()));
        out.printf("  %-22s %s%n", "Std (population):", Numbers.format(stats.std()));
        out.printf("  %-22s %s%n", "Normalized average:", Numbers.format(stats.averageAfterNormalization()));
    }
}
