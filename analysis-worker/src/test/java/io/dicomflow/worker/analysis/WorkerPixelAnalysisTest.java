package io.dicomflow.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomflow.common.analysis.ImageAnalysis;
import io.dicomflow.common.dicom.CorpusReference;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker's production {@link PixelAnalysis} bean decodes the transfer syntaxes that used to end
 * FAILED (UNSUPPORTED_IMAGE): JPEG lossless (.57/.70) and 12-bit JPEG (.51), with the reference's
 * count, min and max (the full statistics comparison is common's ImageAnalyzerCorpusTest), and HTJ2K
 * (.201-.203), which the corpus reference could not decode at all.
 */
class WorkerPixelAnalysisTest {
	private static final Set<String> FORMERLY_UNSUPPORTED = Set.of(
			"1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.51");

	static Stream<CorpusReference.Entry> formerlyUnsupported() {
		return CorpusReference.dicom().stream()
				.filter(e -> e.pixelsDecoded()
						&& FORMERLY_UNSUPPORTED.contains(e.attributes().path("TransferSyntaxUID").asString("")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("formerlyUnsupported")
	void productionAnalysisDecodesIt(CorpusReference.Entry entry) throws Exception {
		PixelAnalysis analysis = new WorkerConfiguration().pixelAnalysis();
		ImageAnalysis result = analysis.analyze(entry.path());
		var expected = entry.pixel().path("stored");
		assertThat(result.stored().count()).isEqualTo(expected.path("count").asLong());
		assertThat(result.stored().min()).isEqualTo(expected.path("min").asDouble());
		assertThat(result.stored().max()).isEqualTo(expected.path("max").asDouble());
	}

	/**
	 * The corpus HTJ2K file (640x480 RGB, .203): decoded by the own HTJ2K decoder in production; its mean
	 * is that of ojph_expand's decode (127.10405, 5 of 921,600 samples differ by 1 from it).
	 */
	@org.junit.jupiter.api.Test
	void productionAnalysisDecodesHtj2k() throws Exception {
		PixelAnalysis analysis = new WorkerConfiguration().pixelAnalysis();
		ImageAnalysis result = analysis.analyze(CorpusReference.folder("dicom").resolve("pydicomdata-HTJ2K_08_RGB.dcm"));
		assertThat(result.stored().count()).isEqualTo(640L * 480 * 3);
		assertThat(result.stored().min()).isEqualTo(0);
		assertThat(result.stored().max()).isEqualTo(255);
		assertThat(result.stored().mean()).isCloseTo(127.10405, org.assertj.core.api.Assertions.within(1e-4));
	}
}
