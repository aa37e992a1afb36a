package io.dicomflow.common.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomflow.common.dicom.CorpusReference;
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
}
