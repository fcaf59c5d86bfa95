package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.samples.course.AugmentationDemo;
import dev.kiln.samples.course.ImbalanceDemo;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course samples through {@code kiln train} on small Fashion-MNIST subsets (fast; the measured full runs are in
 * docs/course.md): the three CNNs with the generic recipe, and the k-fold, imbalance, augmentation and L-BFGS recipes.
 */
class CourseRecipesTest {
  @TempDir Path tmp;

  @BeforeEach void data() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_DIR);
  }

  private CliRun train(String sample, String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = "train";
    args[1] = sample;
    args[2] = "--output";
    args[3] = tmp.resolve(sample + ".onnx").toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    CliRun r = CliRun.of(args);
    assertEquals(0, r.exit(), r.err() + r.out());
    return r;
  }

  @Test void theCnnsTrainAndExport() {
    for (String s : new String[] {"alexnet", "vgg", "inception"}) {
      CliRun r = train(s, "--epochs", "1", "--limit", "256", "--test-limit", "200");
      assertTrue(r.out().contains("test accuracy (ONNX Runtime)"), r.out());
      assertTrue(Files.isRegularFile(tmp.resolve(s + ".onnx")), s);
    }
  }

  @Test void kfoldPrintsAFoldTableWithMeanAndStd() {
    CliRun r = train("kfold", "--epochs", "1", "--limit", "300");
    assertTrue(r.out().contains("5-fold cross-validation of the MLP on 300"), r.out());
    assertTrue(r.out().contains("val_accuracy") && r.out().contains("mean") && r.out().contains("std"), r.out());
    assertTrue(r.out().matches("(?s).*validation accuracy 0\\.\\d{4} \\+- 0\\.\\d{4}.*"), r.out());
  }

  @Test void lbfgsMinimisesSoftmaxRegression() {
    CliRun r = train("lbfgs", "--epochs", "10", "--limit", "500", "--test-limit", "500");
    assertTrue(r.out().contains("iteration   0  loss 2.") && r.out().contains("iteration  10"), r.out());
    assertTrue(r.out().matches("(?s).*test accuracy 0\\.[5-9]\\d{3} on 500 examples.*"), r.out());
  }

  @Test void weightedSamplingRaisesTheRareClassesRecall() {
    StringWriter s = new StringWriter();
    ImbalanceDemo.Result r = ImbalanceDemo.run(FashionMnist.DEFAULT_DIR,
        new ImbalanceDemo.Options(4000, 0.03, 1000, 2, 128, 1e-3, 42), tmp.resolve("imb.onnx"), new PrintWriter(s, true));
    assertTrue(ImbalanceDemo.rareRecall(r.balanced()) > ImbalanceDemo.rareRecall(r.plain()) + 0.1, s.toString());
    assertTrue(Files.isRegularFile(tmp.resolve("imb-plain-confusion.png")), s.toString());
    assertTrue(Files.isRegularFile(tmp.resolve("imb-weighted-confusion.png")), s.toString());
  }

  @Test void augmentationWritesTheCurves() throws Exception {
    StringWriter s = new StringWriter();
    AugmentationDemo.Result r = AugmentationDemo.run(FashionMnist.DEFAULT_DIR,
        new AugmentationDemo.Options(256, 256, 2, 64, 1e-3, 42), tmp.resolve("aug.onnx"), new PrintWriter(s, true));
    assertEquals(2, r.plain().size());
    assertEquals(2, r.augmented().size());
    BufferedImage img = ImageIO.read(r.png().toFile());
    assertEquals(720, img.getWidth(), s.toString());
    assertTrue(s.toString().contains("final train - validation accuracy gap"), s.toString());
  }
}
