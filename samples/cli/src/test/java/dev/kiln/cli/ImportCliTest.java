package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.Npy;
import dev.kiln.spec.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln import}, the import part of {@code kiln inspect}, and {@code kiln run --engine}. */
class ImportCliTest {
  @TempDir Path tmp;

  private Path exportMlp() {
    Path model = tmp.resolve("mlp.onnx");
    CliRun r = CliRun.of("export", "mlp", "--output=" + model);
    assertEquals(0, r.exit(), r.err());
    return model;
  }

  @Test void importPrintsTheIr() {
    CliRun r = CliRun.of("import", exportMlp().toString(), "--print-ir");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("MatMul") && r.out().contains("Relu"), r.out());
    CliRun s = CliRun.of("import", exportMlp().toString(), "--trainable", ".*");
    assertEquals(0, s.exit(), s.err());
    assertTrue(s.out().contains("6 parameters") && s.out().contains("6 trainable"), s.out());
  }

  @Test void inspectSaysWhatKilnCanImportAndDifferentiate() {
    CliRun r = CliRun.of("inspect", exportMlp().toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("kiln importable ops: Add, Identity, MatMul, Relu\n"), r.out());
    assertTrue(r.out().contains("kiln import: yes"), r.out());
    assertTrue(r.out().contains("kiln differentiable IR ops: Add, Identity, MatMul, Relu\n"), r.out());
  }

  @Test void unsupportedModelsAreOneUserError() {
    // STFT with a run-time frame length: an op Kiln does not import (Unique was the example until it was added).
    Path unique = Path.of("/usr/share/libonnx-testdata/data/node/test_stft/model.onnx");
    Assumptions.assumeTrue(Files.exists(unique), "ONNX test data not installed");
    CliRun r = CliRun.of("import", unique.toString());
    assertEquals(KilnCli.EXIT_USER_ERROR, r.exit());
    assertTrue(r.err().contains("cannot import") && r.err().contains("STFT (opset "), r.err());
    CliRun i = CliRun.of("inspect", unique.toString());
    // Readable but not importable: the report is printed, and the status is bad input (issue 19).
    assertEquals(KilnCli.EXIT_USER_ERROR, i.exit(), i.err());
    assertTrue(i.out().contains("kiln unsupported ops: {STFT (opset"), i.out());
  }

  @Test void engineChoicesAgree() {
    Path model = exportMlp();
    SplittableRandom rnd = new SplittableRandom(3);
    float[] x = new float[2 * 784];
    for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble(-1, 1);
    Path in = tmp.resolve("x.npy");
    Npy.write(in, HostTensor.ofFloats(x, 2, 784));
    float[] ref = null;
    for (String engine : new String[] {"onnxruntime", "tensorflow", "roundtrip"}) {
      Path out = tmp.resolve("out-" + engine);
      CliRun r = CliRun.of("run", model.toString(), "--engine", engine, "--input", "image=" + in, "--output", out.toString());
      assertEquals(0, r.exit(), engine + ": " + r.err());
      float[] got = Npy.read(out.resolve("logits.npy")).toFloats();
      if (ref == null) ref = got;
      else assertArrayEquals(ref, got, 1e-4f, engine);
    }
    CliRun bad = CliRun.of("run", model.toString(), "--engine", "nope", "--input", "image=" + in);
    assertEquals(KilnCli.EXIT_USER_ERROR, bad.exit());
    assertTrue(bad.err().contains("--engine must be"), bad.err());
  }
}
