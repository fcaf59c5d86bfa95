package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The U-Net denoiser, short enough for CI: 64 steps on 4096 training images, then the MSE on 1000 noised
 * test images on TensorFlow and of the exported file in ONNX Runtime against the noisy input's own MSE.
 */
class DenoiseDemoTest {
  @TempDir Path tmp;

  @Test
  void aShortRunDenoisesWellBelowTheBaselineOnBothBackEnds() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(FashionMnistDemo.DEFAULT_DATA),
        "needs Debian's dataset-fashion-mnist in " + FashionMnistDemo.DEFAULT_DATA);
    StringWriter buf = new StringWriter();
    DenoiseDemo.Result r = DenoiseDemo.run(new DenoiseDemo.Options(1, FashionMnistDemo.DEFAULT_DATA, tmp.resolve("unet.onnx"),
        7, 4096, 1000, 16, false), new PrintWriter(buf, true));
    String out = buf.toString();
    // The baseline is the noise's variance: the noise is not clipped.
    assertEquals(DenoiseDemo.NOISE * DenoiseDemo.NOISE, r.baselineMse(), 0.002, out);
    // About 6x below after these 64 steps.
    assertTrue(r.tfMse() < r.baselineMse() / 3, out);
    assertTrue(r.maxAbsDiff() <= 1e-5, out);
    assertEquals(r.tfMse(), r.ortMse(), 1e-6, out);
  }

  @Test
  void mseIsTheMeanSquaredDifference() {
    var a = dev.kiln.spec.HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2);
    var b = dev.kiln.spec.HostTensor.ofFloats(new float[] {1, 0, 3, 1}, 2, 2);
    assertEquals((4 + 9) / 4.0, DenoiseDemo.mse(a, b), 1e-12);
  }
}
