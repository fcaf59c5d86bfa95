package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.runtime.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln train unet} and {@code kiln train resnet} run their own recipes, honouring the options given. */
class SampleRecipesTest {
  @TempDir Path tmp;

  @Test void trainUnetRunsTheDenoisingRecipe() {
    CliRun r = train("unet", "--epochs", "1", "--limit", "640", "--test-limit", "200");
    assertTrue(r.out().contains("Fashion-MNIST denoising: 640 train, 200 test images"), r.out());
    assertTrue(r.out().contains("test MSE on ONNX Runtime"), r.out());
  }

  @Test void trainResnetRunsItsRecipe() {
    CliRun r = train("resnet", "--epochs", "1", "--limit", "256", "--test-limit", "200");
    assertTrue(r.out().contains("Fashion-MNIST: 256 train, 200 test examples; ResNet widths [16, 32, 64]"), r.out());
    assertTrue(r.out().contains("cosine over 2 steps"), r.out());
    assertTrue(r.out().contains("test accuracy on ONNX Runtime"), r.out());
  }

  @Test void exportWritesTheNewSamples() {
    for (String s : new String[] {"resnet", "unet"}) {
      Path f = tmp.resolve(s + ".onnx");
      CliRun r = CliRun.of("export", s, "-o", f.toString());
      assertEquals(0, r.exit(), r.err());
      assertTrue(Files.isRegularFile(f), r.out());
    }
  }

  private CliRun train(String sample, String... extra) {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_DIR);
    String[] args = new String[4 + extra.length];
    args[0] = "train";
    args[1] = sample;
    args[2] = "--output";
    args[3] = tmp.resolve(sample + ".onnx").toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    CliRun r = CliRun.of(args);
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.isRegularFile(tmp.resolve(sample + ".onnx")), r.out());
    return r;
  }
}
