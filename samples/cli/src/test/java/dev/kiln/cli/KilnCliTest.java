package dev.kiln.cli;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code kiln} command line run in-process on models exported in the test. */
class KilnCliTest {
  @TempDir Path tmp;
  private int exported;

  private Path exportMlp(String... extra) {
    Path model = tmp.resolve("mlp" + exported++ + ".onnx");
    String[] args = new String[3 + extra.length];
    args[0] = "export";
    args[1] = "mlp";
    args[2] = "--output=" + model;
    System.arraycopy(extra, 0, args, 3, extra.length);
    CliRun r = CliRun.of(args);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("wrote " + model), r.out());
    return model;
  }

  @Test void inspectDescribesTheExportedMlp() {
    CliRun r = CliRun.of("inspect", exportMlp().toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    String out = r.out();
    assertTrue(out.contains("producer: kiln "), out);
    assertTrue(out.contains("ir_version: 8\n"), out);
    assertTrue(out.contains("opset_import: ai.onnx 17\n"), out);
    assertTrue(out.contains("inputs:\n  image: f32[batch, 784]\n"), out);
    assertTrue(out.contains("outputs:\n  logits: f32[batch, 10]\n"), out);
    assertTrue(out.contains("  MatMul   3\n") && out.contains("  Add      3\n") && out.contains("  Relu     2\n"), out);
    long params = 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10;
    assertTrue(out.contains(String.format("parameters: %,d elements, %,d bytes in 6 initializers", params, params * 4)), out);
    assertTrue(out.contains("  kiln.seed = 42\n"), out);
  }

  @Test void exportHonoursOpsetAndSeed() throws IOException {
    Path a = exportMlp("--opset", "13", "--seed", "1");
    String out = CliRun.of("inspect", a.toString()).out();
    assertTrue(out.contains("opset_import: ai.onnx 13\n") && out.contains("ir_version: 7\n") && out.contains("kiln.seed = 1\n"), out);
    Path b = exportMlp("--opset", "13", "--seed", "2");
    assertNotEquals(Arrays.hashCode(Files.readAllBytes(a)), Arrays.hashCode(Files.readAllBytes(b)));
    Path again = tmp.resolve("again.onnx");
    assertEquals(0, CliRun.of("export", "mlp", "-o", again.toString(), "--opset", "13", "--seed", "1").exit());
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(again), "the same seed gives the same file");
  }

  @Test void runWritesWhatOnnxRuntimeComputes() {
    Path model = exportMlp();
    SplittableRandom rng = new SplittableRandom(3);
    float[] pixels = new float[3 * 784];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (float) rng.nextDouble();
    HostTensor image = HostTensor.ofFloats(pixels, 3, 784);
    Path input = tmp.resolve("image.npy");
    Npy.write(input, image);
    Path outDir = tmp.resolve("out");
    CliRun r = CliRun.of("run", model.toString(), "--input", "image=" + input, "--output", outDir.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("logits: f32[3, 10] -> " + outDir.resolve("logits.npy") + "\n", r.out());
    HostTensor expected;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      expected = m.run(Map.of("image", image)).get("logits");
    }
    assertEquals(expected, Npy.read(outDir.resolve("logits.npy")));
  }

  @Test void runMatchesAHandComputation() throws IOException {
    // y = relu(x @ w); z = x @ w, under an output name that is not a safe file name.
    Model tiny = Model.build("tiny", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 3);
      Tensor<F32> w = m.constant(HostTensor.ofFloats(new float[] {1, -1, 0, 2, 1, -3}, 3, 2));
      Tensor<F32> xw = x.matmul(w);
      m.output("y", xw.relu());
      m.output("../z", xw);
      return null;
    });
    Path model = tmp.resolve("tiny.onnx");
    OnnxExporter.write(tiny.graph(), model);
    Path input = tmp.resolve("x.npy");
    Npy.write(input, HostTensor.ofFloats(new float[] {1, 2, 3, -1, 0, 1}, 2, 3));
    Path outDir = tmp.resolve("out");
    CliRun r = CliRun.of("run", model.toString(), "-i", "x=" + input, "-o", outDir.toString());
    assertEquals(0, r.exit(), r.err());
    // Row 1: [1 + 0 + 3, -1 + 4 - 9] = [4, -6]; row 2: [-1 + 0 + 1, 1 + 0 - 3] = [0, -2].
    assertEquals(HostTensor.ofFloats(new float[] {4, 0, 0, 0}, 2, 2), Npy.read(outDir.resolve("y.npy")));
    assertEquals(HostTensor.ofFloats(new float[] {4, -6, 0, -2}, 2, 2), Npy.read(outDir.resolve("_._z.npy")));
    try (var files = Files.list(outDir)) {
      assertEquals(2, files.count(), "nothing is written outside the output folder");
    }
  }

  @Test void truncatedModelIsOneLineErrorWithExit2() throws IOException {
    byte[] good = Files.readAllBytes(exportMlp());
    Path bad = tmp.resolve("bad.onnx");
    Files.write(bad, Arrays.copyOf(good, 100));
    for (String cmd : new String[] {"inspect", "run"}) {
      CliRun r = CliRun.of(cmd, bad.toString());
      assertOneLineError(r, bad + ": not a valid ONNX model (the file is truncated)");
    }
  }

  @Test void randomBytesAreOneLineErrorWithExit2() throws IOException {
    byte[] noise = new byte[4096];
    new SplittableRandom(11).nextBytes(noise);
    Path bad = tmp.resolve("noise.onnx");
    Files.write(bad, noise);
    assertOneLineError(CliRun.of("inspect", bad.toString()), bad + ": not ");
    assertOneLineError(CliRun.of("run", bad.toString()), bad + ": not ");
  }

  @Test void verboseAddsTheStackTrace() throws IOException {
    Path bad = tmp.resolve("bad.onnx");
    Files.write(bad, new byte[] {8});
    CliRun r = CliRun.of("--verbose", "inspect", bad.toString());
    assertEquals(2, r.exit());
    assertTrue(r.errLines().length > 2 && r.err().contains("\tat dev.kiln.cli.OnnxFile.read"), r.err());
    assertTrue(CliRun.of("inspect", bad.toString(), "-v").err().contains("\tat "), "the option works after the subcommand too");
  }

  /** --verbose asks for TensorFlow's native logs while parsing, before any command can load TensorFlow. */
  @Test void verboseTurnsTensorFlowsNativeLogsBackOn() throws IOException {
    String before = System.getProperty("kiln.tf.logs");
    try {
      System.clearProperty("kiln.tf.logs");
      Path bad = tmp.resolve("bad.onnx");
      Files.write(bad, new byte[] {8});
      CliRun.of("inspect", bad.toString());
      assertEquals(null, System.getProperty("kiln.tf.logs"));
      CliRun.of("inspect", bad.toString(), "--verbose");
      assertEquals("verbose", System.getProperty("kiln.tf.logs"));
    } finally {
      if (before == null) System.clearProperty("kiln.tf.logs");
      else System.setProperty("kiln.tf.logs", before);
    }
  }

  @Test void badInputsAreOneLineErrors() throws IOException {
    Path model = exportMlp();
    Path good = tmp.resolve("good.npy");
    Npy.write(good, HostTensor.filled(dev.kiln.spec.DType.F32, new long[] {1, 784}, 0.5));
    Path f64 = tmp.resolve("f64.npy");
    Npy.write(f64, HostTensor.filled(dev.kiln.spec.DType.F64, new long[] {1, 784}, 0.5));
    Path narrow = tmp.resolve("narrow.npy");
    Npy.write(narrow, HostTensor.filled(dev.kiln.spec.DType.F32, new long[] {1, 783}, 0.5));
    Path cut = tmp.resolve("cut.npy");
    byte[] g = Files.readAllBytes(good);
    Files.write(cut, Arrays.copyOf(g, g.length - 8));
    String m = model.toString();
    assertOneLineError(CliRun.of("run", m, "--input", "pixels=" + good), "the model has no input 'pixels'");
    assertOneLineError(CliRun.of("run", m, "--input", "image=" + f64), "input 'image' must be f32, got f64");
    assertOneLineError(CliRun.of("run", m, "--input", "image=" + narrow), "input 'image' has shape [1, 783]");
    assertOneLineError(CliRun.of("run", m, "--input", "image=" + cut), cut + ": truncated .npy file");
    assertOneLineError(CliRun.of("run", m, "--input", "image=" + tmp.resolve("none.npy")), "no such .npy file");
    assertOneLineError(CliRun.of("run", m), "missing input 'image'");
    assertOneLineError(CliRun.of("inspect", tmp.resolve("none.onnx").toString()), "no such file");
    assertOneLineError(CliRun.of("export", "nosuch", "-o", tmp.resolve("x.onnx").toString()), "known samples: mlp");
    assertOneLineError(CliRun.of("export", "mlp", "-o", tmp.resolve("x.onnx").toString(), "--opset", "5"), "opset 5");
    assertOneLineError(CliRun.of("inspect"), "Missing required parameter");
    assertFalse(Files.exists(tmp.resolve("x.onnx")));
  }

  @Test void helpAndVersion() {
    CliRun help = CliRun.of("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("inspect") && help.out().contains("run") && help.out().contains("export"), help.out());
    CliRun export = CliRun.of("export", "--help");
    assertEquals(0, export.exit());
    assertTrue(export.out().contains("mlp"), export.out());
    CliRun version = CliRun.of("--version");
    assertEquals(0, version.exit());
    assertTrue(version.out().startsWith("kiln " + dev.kiln.spec.Kiln.VERSION + "\n"), version.out());
  }

  @Test void noCommandShowsUsageAndExits2() {
    CliRun r = CliRun.of();
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("kiln: error: no command given\n") && r.err().contains("Usage: kiln"), r.err());
  }

  /** A command that fails the way a bug would, to check the internal-error path. */
  @picocli.CommandLine.Command(name = "boom")
  static final class Boom implements java.util.concurrent.Callable<Integer> {
    @Override public Integer call() { throw new IllegalStateException("invariant broken"); }
  }

  @Test void internalErrorsExit1() {
    for (boolean verbose : new boolean[] {false, true}) {
      picocli.CommandLine cl = KilnCli.commandLine().addSubcommand(new Boom());
      java.io.StringWriter err = new java.io.StringWriter();
      cl.setErr(new java.io.PrintWriter(err, true));
      int exit = verbose ? cl.execute("--verbose", "boom") : cl.execute("boom");
      assertEquals(1, exit);
      assertTrue(err.toString().startsWith("kiln: internal error: java.lang.IllegalStateException: invariant broken\n"), err.toString());
      assertEquals(verbose, err.toString().contains("\tat dev.kiln.cli.KilnCliTest$Boom.call"), err.toString());
    }
  }

  private static void assertOneLineError(CliRun r, String fragment) {
    assertEquals(2, r.exit(), r.out() + r.err());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().startsWith("kiln: error: ") && r.err().contains(fragment), r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    assertEquals("", r.out(), "nothing on stdout when a command fails");
  }
}
