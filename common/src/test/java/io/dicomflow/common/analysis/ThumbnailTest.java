package io.dicomflow.common.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomflow.common.dicom.CorpusReference;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.pixel.Frame;
import io.dicomflow.common.dicom.pixel.ImagePixelModule;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Thumbnails are valid PNGs, 8-bit, longest side at most 256, with some contrast. */
class ThumbnailTest {
    @ParameterizedTest
    @ValueSource(strings = {"fodicom-D_CLUNIE_CT1_RLE_FRAGS.dcm", "pydicom-SC_rgb_rle_2frame.dcm", "pydicom-MR_small_expb.dcm",
        "pydicomdata-US1_J2KR.dcm"})
    void thumbnailIsAWindowedPng(String file) throws Exception {
        ImageAnalysis a = ImageAnalyzer.create().analyze(CorpusReference.folder("dicom").resolve(file));
        Thumbnail t = a.thumbnail().orElseThrow();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(t.png()));
        assertThat(img.getWidth()).isEqualTo(t.width());
        assertThat(Math.max(img.getWidth(), img.getHeight())).isLessThanOrEqualTo(256);
        assertThat(img.getColorModel().getComponentSize(0)).isEqualTo(8);
        int min = 255;
        int max = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int g = img.getRGB(x, y) & 0xFF;
                min = Math.min(min, g);
                max = Math.max(max, g);
            }
        }
        assertThat(max - min).as("contrast").isGreaterThan(32);
    }

    /**
     * The integer monochrome path (box sums in a long, window from the int extremes) gives byte for byte the
     * thumbnail of the general loop, for even and odd box sizes, both photometrics, rising and falling rescale,
     * and with the file's window or the frame's range (SyntheticCt has no Window Center/Width).
     */
    @Test
    void integerPathGivesTheGeneralLoopsThumbnail(@TempDir Path dir) throws Exception {
        DicomHeader noWindow = DicomReader.create().readHeader(SyntheticCt.write(dir.resolve("ct.dcm"), 8, 8, 1, 3));
        DicomHeader withWindow = DicomReader.create()
            .readHeader(CorpusReference.folder("dicom").resolve("pydicom-MR_small_expb.dcm"));
        assertThat(withWindow.decimal("WindowCenter")).isPresent();
        Random random = new Random(11);
        int compared = 0;
        for (DicomHeader header : new DicomHeader[] {noWindow, withWindow}) {
            for (int[] size : new int[][] {{512, 512}, {300, 517}, {7, 5}, {1, 1}}) {
                int rows = size[0];
                int columns = size[1];
                int[] values = new int[rows * columns];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextInt(6144) - 2048;
                }
                Frame frame = new Frame(0, values, null, values.length, false);
                for (String photometric : new String[] {"MONOCHROME1", "MONOCHROME2"}) {
                    ImagePixelModule m = new ImagePixelModule(rows, columns, 1, 16, 13, 12, true, false, 1, photometric,
                        false);
                    for (double[] rescale : new double[][] {{1, -1024}, {-0.5, 10}, {2.5, 0}, {0, 7}}) {
                        Thumbnail fast = ThumbnailRenderer.render(frame, m, header, rescale[0], rescale[1], true);
                        Thumbnail general = ThumbnailRenderer.render(frame, m, header, rescale[0], rescale[1], false);
                        assertThat(fast.width()).isEqualTo(general.width());
                        assertThat(fast.height()).isEqualTo(general.height());
                        assertThat(fast.png()).as("%dx%d %s rescale %s", rows, columns, photometric,
                            java.util.Arrays.toString(rescale)).isEqualTo(general.png());
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(64);
    }
}
