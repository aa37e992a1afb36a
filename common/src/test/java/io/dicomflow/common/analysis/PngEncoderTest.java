package io.dicomflow.common.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the encoder writes decodes, with an independent decoder (the JDK's), to exactly the samples given. */
class PngEncoderTest {
    @ParameterizedTest
    @CsvSource({"1,1,1", "1,1,3", "3,5,1", "5,3,3", "256,256,1", "256,171,3", "1,300,3"})
    void decodesToTheSamplesGiven(int width, int height, int channels) throws Exception {
        Random random = new Random(width * 31L + height * 7L + channels);
        byte[] samples = new byte[width * height * channels];
        // half noise, half gradients: both the extreme and the typical case of the Sub filter
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (byte) ((i % 2 == 0) ? random.nextInt(256) : (i / channels) % 256);
        }
        byte[] png = PngEncoder.encode(width, height, channels, samples);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        assertThat(image.getColorModel().getNumComponents()).isEqualTo(channels);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * channels;
                for (int c = 0; c < channels; c++) {
                    assertThat(image.getRaster().getSample(x, y, c)).as("(%d,%d) channel %d", x, y, c)
                        .isEqualTo(samples[at + c] & 0xFF);
                }
            }
        }
    }
}
