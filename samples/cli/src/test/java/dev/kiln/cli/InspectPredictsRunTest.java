package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code kiln inspect} predicts {@code kiln run --engine tensorflow|roundtrip}: it lowers and re-exports the imported
 * graph as run would (issue 18: a DenseNet-style one-input Concat imported, inspect said "import: yes", and the
 * TensorFlow run then failed).
 */
class InspectPredictsRunTest {
  @Test void denseNetStyleModelIsPredictedToRunOnBothEngines() throws URISyntaxException {
    Path dense = Path.of("../programs/src/test/resources/fixtures/exports/dense_tiny.onnx");  // samples/programs' fixture
    CliRun r = CliRun.of("inspect", dense.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("kiln import: yes"), r.out());
    assertTrue(r.out().contains("kiln engine tensorflow: yes\n"), r.out());
    assertTrue(r.out().contains("kiln engine roundtrip: yes\n"), r.out());
  }

  @Test void aModelThatImportsButCannotLowerToTensorFlowSaysSo() {
    Path model = Path.of("/usr/share/libonnx-testdata/data/node/" + TF_ONLY_GAP + "/model.onnx");
    Assumptions.assumeTrue(Files.exists(model), "ONNX test data not installed");
    CliRun r = CliRun.of("inspect", model.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("kiln import: yes"), r.out());
    assertTrue(r.out().contains("kiln engine tensorflow: no ("), r.out());
    assertTrue(r.out().contains("kiln engine roundtrip: yes\n"), r.out());
    CliRun run = CliRun.of("run", model.toString(), "--engine", "tensorflow");
    assertEquals(KilnCli.EXIT_USER_ERROR, run.exit(), run.out() + run.err());
  }

  /** A conformance case that imports and runs in ONNX Runtime but has no TensorFlow form (docs/conformance.md). */
  static final String TF_ONLY_GAP = "test_scatternd_multiply";
}
