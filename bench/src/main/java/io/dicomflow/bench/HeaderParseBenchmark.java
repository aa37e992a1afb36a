package io.dicomflow.bench;

import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Header parse rate over the test corpus: one operation parses every corpus file (up to the pixel data),
 * so files/s = files in the corpus x ops/s. The file count is printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderParseBenchmark {
    @Param("common/src/test/resources/corpus/dicom")
    public String corpus;

    private List<Path> files;
    private final DicomReader reader = DicomReader.create();

    @Setup
    public void listFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(corpus))) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        System.out.println("corpus files: " + files.size());
    }

    @Benchmark
    public void parseCorpus(Blackhole bh) throws IOException {
        for (Path f : files) {
            try {
                bh.consume(reader.readHeader(f));
            } catch (DicomParseException e) {
                bh.consume(e);
            }
        }
    }
}
