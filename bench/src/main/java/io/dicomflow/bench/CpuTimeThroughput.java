package io.dicomflow.bench;

import io.dicomflow.common.analysis.ImageAnalyzer;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Throughput per CPU-second of the measuring thread, for machines shared with other work where
 * wall-clock JMH figures are mostly queueing: header parsing over the corpus and ImageAnalyzer on a
 * synthetic 100 MiB 16-bit multi-frame. Usage: java -cp bench/target/benchmarks.jar
 * io.dicomflow.bench.CpuTimeThroughput [corpus-dir]
 */
public final class CpuTimeThroughput {
    private CpuTimeThroughput() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path corpus = Path.of(args.length > 0 ? args[0] : "common/src/test/resources/corpus/dicom");
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        DicomReader reader = DicomReader.create();
        for (int warm = 0; warm < 30; warm++) {
            parseAll(reader, files);
        }
        int rounds = 50;
        long cpu = mx.getCurrentThreadCpuTime();
        for (int r = 0; r < rounds; r++) {
            parseAll(reader, files);
        }
        double seconds = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
        System.out.printf("header parse: %d files x %d rounds in %.3f CPU-s = %.0f files per CPU-second%n",
                files.size(), rounds, seconds, files.size() * rounds / seconds);

        Path big = SyntheticDicom.write(Files.createTempFile("cpu-ct-", ".dcm"), 512, 512, 200, 42);
        try {
            ImageAnalyzer analyzer = ImageAnalyzer.create();
            for (int warm = 0; warm < 3; warm++) {
                analyzer.analyze(big);
            }
            int n = 5;
            cpu = mx.getCurrentThreadCpuTime();
            for (int r = 0; r < n; r++) {
                analyzer.analyze(big);
            }
            seconds = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
            double mb = 512.0 * 512 * 2 * 200 * n / 1e6;
            System.out.printf("pixel statistics: %.0f MB in %.3f CPU-s = %.0f MB per CPU-second%n", mb, seconds,
                    mb / seconds);
        } finally {
            Files.deleteIfExists(big);
        }
    }

    private static void parseAll(DicomReader reader, List<Path> files) throws Exception {
        for (Path f : files) {
            try {
                reader.readHeader(f);
            } catch (DicomParseException e) {
                // counted like a parse
            }
        }
    }
}
