package io.dicomflow.bench;

import io.dicomflow.common.analysis.ImageAnalysis;
import io.dicomflow.common.analysis.ImageAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ImageAnalyzer throughput (read + decode + statistics + histogram + thumbnail) on native 16-bit data:
 * a 512x512 CT slice (0.5 MB of pixels) and a 200-frame 512x512 multi-frame (100 MiB), both synthesised
 * at setup into the temp directory (page cache warm after the first iteration).
 * MB/s = pixel bytes / (seconds per operation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class PixelStatisticsBenchmark {
    @Param({"1", "200"})
    public int frames;

    private Path file;
    private final ImageAnalyzer analyzer = ImageAnalyzer.create();

    @Setup(Level.Trial)
    public void synthesise() throws Exception {
        file = SyntheticDicom.write(Files.createTempFile("bench-ct-", ".dcm"), 512, 512, frames, 42);
        System.out.printf("pixel bytes: %d%n", 512L * 512 * 2 * frames);
    }

    @TearDown(Level.Trial)
    public void delete() throws Exception {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public ImageAnalysis analyze() throws Exception {
        return analyzer.analyze(file);
    }
}
