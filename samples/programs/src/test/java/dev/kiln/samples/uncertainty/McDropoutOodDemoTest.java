package dev.kiln.samples.uncertainty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.runtime.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the out-of-distribution demo on Fashion-MNIST (6,000 training images of classes 0-4, 2 epochs, 500
 * test images a side, 32 passes): unseen classes must score higher predictive entropy and mutual information on
 * both back ends, and the two back ends must agree on the means.
 */
class McDropoutOodDemoTest {
  @Test
  void uncertaintyRisesOnUnseenClasses(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed (dataset-fashion-mnist)");
    McDropoutOodDemo.Result r = McDropoutOodDemo.run(new McDropoutOodDemo.Options(FashionMnist.DEFAULT_DIR, 6000, 2, 500, 32,
        dir.resolve("mc.onnx"), 1), System.out);
    for (McDropoutOodDemo.Scores s : new McDropoutOodDemo.Scores[] {r.tf(), r.ort()}) {
      assertTrue(s.accuracy() > 0.8, "accuracy on seen classes " + s.accuracy());
      assertTrue(s.entropyUnseen() > s.entropyKnown(), "entropy unseen " + s.entropyUnseen() + " vs seen " + s.entropyKnown());
      assertTrue(s.miUnseen() > s.miKnown(), "mutual information unseen " + s.miUnseen() + " vs seen " + s.miKnown());
      assertTrue(s.entropyAuroc() > 0.7, "entropy AUROC " + s.entropyAuroc());
    }
    assertEquals(r.tf().entropyUnseen(), r.ort().entropyUnseen(), 0.05, "TF vs ORT mean entropy on unseen classes");
    assertEquals(r.tf().entropyKnown(), r.ort().entropyKnown(), 0.05, "TF vs ORT mean entropy on seen classes");
  }

  @Test
  void aurocCountsPairs() {
    assertEquals(1.0, McDropoutOodDemo.auroc(new double[] {1, 2}, new double[] {3, 4}));
    assertEquals(0.0, McDropoutOodDemo.auroc(new double[] {3, 4}, new double[] {1, 2}));
    assertEquals(0.5, McDropoutOodDemo.auroc(new double[] {1, 1}, new double[] {1}));
    assertEquals(0.75, McDropoutOodDemo.auroc(new double[] {1, 3}, new double[] {2, 4}));
  }
}
