package io.dicomflow.cli.ls;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.dicomflow.cli.ExitCodes;
import io.dicomflow.cli.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dicomflow ls}: the brief's Task 1 folder listing, with content-sniffed kinds. */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        header = "Count and list a folder, each file marked DICOM / CSV / JSON / other by content.",
        description = {
                "Counts and lists the entries of a folder; each file is marked DICOM, CSV, JSON or OTHER "
                        + "by its content (its name is not looked at).",
                "DICOM: 'DICM' after the 128-byte preamble, or a bare data set starting in group 0002/0008. "
                        + "JSON: an object or array that parses. CSV: UTF-8 text of comma-separated records "
                        + "with two or more fields, as many in each record."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.INVALID_INPUT_LINE},
        footerHeading = "%nExamples:%n",
        footer = {
                "  dicomflow ls ./data",
                "  dicomflow ls ./data -r --json | jq '.entries[] | select(.kind==\"DICOM\") | .path'"
        })
public final class LsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FOLDER", description = "The folder to list.")
    Path folder;

    @Option(names = {"-r", "--recursive"}, description = "List sub-folders too, at any depth.")
    boolean recursive;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        FolderListing listing = new FolderLister(new ContentSniffer()).list(folder, recursive);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(listing)));
        } else {
            printText(listing, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Map<String, Object> toJson(FolderListing listing) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("folder", listing.folder());
        document.put("recursive", listing.recursive());
        document.put("files", listing.fileCount());
        document.put("folders", listing.folderCount());
        document.put("counts", listing.countsByKind());
        document.put("entries", listing.entries());
        return document;
    }

    private static void printText(FolderListing listing, PrintWriter out) {
        Map<FileKind, Long> counts = listing.countsByKind();
        out.printf("%s: %d files, %d folders (DICOM %d, CSV %d, JSON %d, other %d, unreadable %d)%n",
                listing.folder(), listing.fileCount(), listing.folderCount(),
                counts.get(FileKind.DICOM), counts.get(FileKind.CSV), counts.get(FileKind.JSON),
                counts.get(FileKind.OTHER), counts.get(FileKind.UNREADABLE));
        for (ListedEntry entry : listing.entries()) {
            String size = entry.size() < 0 ? "-" : Long.toString(entry.size());
            out.printf("%-10s %12s  %s%n", entry.kind(), size, entry.path());
        }
    }
}
