package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.runtime.io.Npy;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: for every model of the torch.onnx export suite (samples/programs' {@code fixtures/exports}, listed from
 * the folder so a new model is checked without editing this test), {@code kiln inspect} must predict what
 * {@code kiln run --engine tensorflow} and {@code --engine roundtrip} then do on PyTorch's own inputs: "yes" means run
 * exits 0 and prints every output PyTorch gave; "no (...)" means run exits 2 (bad input), never 1 or a crash; and a
 * model inspect cannot import (exit 2, "kiln import: no", samples/programs' TorchExportSuiteTest.KNOWN_GAPS) must
 * make run exit 2 on both engines.
 */
class InspectPredictsRunOnExportsTest {
  static final Path EXPORTS = Path.of("../programs/src/test/resources/fixtures/exports");
  /** The suite's size when this test was written (issue 18 asks for >= 25); guards against an empty listing. */
  static final int AT_LEAST = 30;
  private static final Pattern ENGINE = Pattern.compile("kiln engine (tensorflow|roundtrip): (yes|no \\()");

  @TempDir Path tmp;

  @TestFactory Stream<DynamicTest> inspectSaysWhatRunDoesOnBothEngines() throws IOException {
    List<Path> models;
    try (Stream<Path> files = Files.list(EXPORTS)) {
      models = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
    }
    assertTrue(models.size() >= AT_LEAST, "found only " + models.size() + " exports in " + EXPORTS.toAbsolutePath());
    return models.stream().map(m -> DynamicTest.dynamicTest(m.getFileName().toString(), () -> check(m)));
  }

  private void check(Path model) throws IOException {
    String name = model.getFileName().toString().replaceFirst("\\.onnx$", "");
    CliRun inspect = CliRun.of("inspect", model.toString());
    boolean importable = inspect.exit() == 0;
    if (!importable) {
      assertEquals(KilnCli.EXIT_USER_ERROR, inspect.exit(), name + ": inspect\n" + inspect.out() + inspect.err());
      assertTrue(inspect.out().contains("kiln import: no"), name + ": inspect\n" + inspect.out());
    }
    Map<String, HostTensor> io = Safetensors.read(EXPORTS.resolve(name + "_io.safetensors")).tensors();
    List<String> args = new ArrayList<>(List.of("run", model.toString()));
    for (String in : List.of("input", "input2", "input3")) {
      if (!io.containsKey(in)) continue;
      Path npy = tmp.resolve(name + "_" + in + ".npy");
      Npy.write(npy, io.get(in));
      args.add("-i");
      args.add(in + "=" + npy);
    }
    if (!importable) {
      for (String engine : List.of("tensorflow", "roundtrip")) {
        List<String> run = new ArrayList<>(args);
        run.addAll(List.of("--engine", engine));
        CliRun r = CliRun.of(run.toArray(String[]::new));
        assertEquals(KilnCli.EXIT_USER_ERROR, r.exit(), name + " --engine " + engine + ": inspect said it cannot import, run "
            + "gave exit " + r.exit() + "\n" + r.out() + r.err());
      }
      return;
    }
    Matcher verdicts = ENGINE.matcher(inspect.out());
    int seen = 0;
    while (verdicts.find()) {
      seen++;
      List<String> run = new ArrayList<>(args);
      run.addAll(List.of("--engine", verdicts.group(1)));
      CliRun r = CliRun.of(run.toArray(String[]::new));
      String what = name + " --engine " + verdicts.group(1) + ": inspect said '" + verdicts.group(2) + "', run gave exit "
          + r.exit() + "\n" + r.out() + r.err();
      if (verdicts.group(2).equals("yes")) {
        assertEquals(0, r.exit(), what);
        for (String out : io.keySet()) {
          if (out.startsWith("output") && !out.endsWith("_f64")) assertTrue(r.out().contains(out + ": "), what);
        }
      } else {
        assertEquals(KilnCli.EXIT_USER_ERROR, r.exit(), what);
      }
    }
    assertEquals(2, seen, name + ": inspect gave no verdict for both engines\n" + inspect.out());
  }
}
