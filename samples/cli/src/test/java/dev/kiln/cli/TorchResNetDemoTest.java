package dev.kiln.cli;

import dev.kiln.samples.TorchResNetDemo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.runtime.data.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ResNet-18 sample: PyTorch's fixture weights classify PyTorch's reference batch as PyTorch does; a short
 * fine-tune on Fashion-MNIST lowers the test loss and beats chance; the ONNX export agrees with TensorFlow; the
 * written {@code .pt} reads back with torchvision's key set. Also run once through {@code kiln resnet-demo}.
 */
class TorchResNetDemoTest {
  @TempDir Path tmp;

  @Test
  void loadsClassifiesFineTunesAndExports() throws Exception {
    TorchResNetDemo.Options d = TorchResNetDemo.Options.defaults(Path.of("../.."), FashionMnist.DEFAULT_DIR,
        tmp.resolve("r.onnx"), tmp.resolve("r.pt"));
    TorchResNetDemo.Options o = new TorchResNetDemo.Options(d.weights(), d.reference(), d.data(), d.onnxOut(), d.ptOut(),
        32, 256, 200, 1, 32, 1e-3);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TorchResNetDemo.Result r = TorchResNetDemo.run(o, new PrintStream(log, true, StandardCharsets.UTF_8));
    String text = log.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertArrayEquals(r.torchClasses(), r.kilnClasses(), text);
    assertTrue(r.maxLogitDiff() < 1e-3, text);  // |logits| up to ~8: rtol 1e-4 of the largest
    assertEquals(8, r.steps(), text);
    assertTrue(r.lossAfter() < r.lossBefore(), text);
    assertTrue(r.accuracyAfter() > 0.2, text);  // chance is 0.1
    assertEquals(r.accuracyAfter(), r.onnxAccuracy(), 0.011, text);
    assertTrue(r.maxTfOrtDiff() < 1e-3, text);
    StateDict original = TorchResNetDemo.read(d.weights());
    StateDict written = TorchFile.read(o.ptOut());
    assertEquals(original.keys(), written.keys());
  }

  @Test
  void runsFromTheCommandLine() throws Exception {
    Path onnx = tmp.resolve("cli.onnx");
    Path pt = tmp.resolve("cli.pt");
    int exit = KilnCli.commandLine().execute("resnet-demo",
        "--weights", Path.of("../..").resolve(TorchResNetDemo.FIXTURES).resolve("resnet18.pt.gz").toString(), "--reference", "none",
        "--train", "16", "--test", "16", "--batch", "8", "-o", onnx.toString(), "--save-pt", pt.toString());
    assertEquals(0, exit);
    assertTrue(Files.size(onnx) > 40_000_000L && Files.size(pt) > 40_000_000L, "ResNet-18 weights are ~45 MB");
  }
}
