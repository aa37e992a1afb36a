package io.dicomflow.cli.diagnosis;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.ExitCodes;
import io.dicomflow.cli.support.InputFiles;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.VR;
import io.dicomflow.common.dicom.edit.TextElementEdit;
import io.dicomflow.common.dicom.records.DiagnosisAuditLog;
import io.dicomflow.common.dicom.records.DiagnosisChange;
import io.dicomflow.common.dicom.records.StudyRecord;
import io.dicomflow.common.dicom.records.PatientRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dicomflow diagnosis}: the brief's Task 2 update of a diagnosis, applied to a copy of the file. The
 * original is never changed; the change is recorded in an audit log first (who, when, which record, never
 * the text).
 */
@Command(
        name = "diagnosis",
        mixinStandardHelpOptions = true,
        header = "Write a copy of a DICOM file with a new diagnosis, recorded in an audit log.",
        description = {
                "Reads FILE's study record (with its patient), updates its diagnosis through "
                        + "StudyRecord.updateDiagnosis, which records who changed which record and when in the audit "
                        + "log (never the diagnosis text), and writes --output: a copy of FILE in which only Admitting "
                        + "Diagnoses Description (0008,1080) is replaced or added. FILE is not changed.",
                "The diagnosis is a DICOM LO value: at most 64 characters, no backslash; characters beyond ASCII "
                        + "only in files whose Specific Character Set is ISO_IR 192 (UTF-8) or ISO_IR 100."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.INVALID_INPUT_LINE},
        footerHeading = "%nExamples:%n",
        footer = {
                "  dicomflow diagnosis image.dcm --set 'Suspected pneumonia' --output image-reviewed.dcm",
                "  dicomflow diagnosis image.dcm --set '' --output cleared.dcm --by alice --audit-log /var/log/dicomflow-audit.log",
                "  dicomflow inspect image-reviewed.dcm --records"
        })
public final class DiagnosisCommand implements Callable<Integer> {

    static final String DEFAULT_AUDIT_LOG = "dicomflow-audit.log";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The DICOM file (Part 10); left unchanged.")
    Path file;

    @Option(names = "--set", required = true, paramLabel = "TEXT",
            description = "The new diagnosis; an empty string clears it.")
    String diagnosis;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "COPY",
            description = "The copy to write; must not exist yet.")
    Path output;

    @Option(names = "--by", paramLabel = "USER",
            description = "Who makes the change, for the audit log (default: the system user name).")
    String by;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "The audit log to append to (default: " + DEFAULT_AUDIT_LOG + " beside the copy).")
    Path auditLog;

    @Override
    public Integer call() throws IOException {
        InputFiles.requireReadableFile(file);
        if (Files.exists(output)) {
            throw CliException.invalidInput("will not overwrite " + output + ": --output must be a new file");
        }
        Path outputFolder = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(outputFolder)) {
            throw CliException.invalidInput("no such folder for --output: " + outputFolder);
        }
        String user = by != null ? by : System.getProperty("user.name", "unknown");
        DicomReader reader = DicomReader.create();
        DicomHeader header;
        try {
            header = reader.readHeader(file);
        } catch (DicomParseException e) {
            throw CliException.invalidInput(file + ": not readable DICOM: " + e.getMessage());
        }
        try {
            TextElementEdit.requireEditable(header);
        } catch (TextElementEdit.EditException e) {
            throw CliException.invalidInput(file + ": " + e.getMessage());
        }
        StudyRecord record = StudyRecord.from(header);
        Path audit = auditLog != null ? auditLog : outputFolder.resolve(DEFAULT_AUDIT_LOG);
        DiagnosisChange change;
        try (DiagnosisAuditLog log = DiagnosisAuditLog.appendingTo(audit, Clock.systemUTC())) {
            // the record checks the value and audits the change; only then is the copy written
            change = record.updateDiagnosis(diagnosis, user, log);
        } catch (IllegalArgumentException e) {
            throw CliException.invalidInput(e.getMessage());
        } catch (java.io.UncheckedIOException | IOException e) {
            // nothing was changed: the record changes only once the audit line is written
            throw CliException.invalidInput("cannot write the audit log " + audit + ": " + e.getMessage());
        }
        try {
            new TextElementEdit(reader).copyWith(file, output, PatientRecord.DIAGNOSIS_TAG, VR.LO,
                    record.diagnosis().orElse(""));
        } catch (TextElementEdit.EditException e) {
            throw new CliException(ExitCodes.FAILURE, "the change was audited but no copy was written: "
                    + e.getMessage());
        } catch (DicomParseException e) {
            throw new CliException(ExitCodes.FAILURE, "the change was audited but no copy was written: "
                    + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote " + output + " (diagnosis " + change.kind() + " for " + change.record() + ")");
        out.println("Audit: " + audit + ": " + change.toLine());
        out.flush();
        return ExitCodes.OK;
    }
}
