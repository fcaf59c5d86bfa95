package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.nio.file.Path;
import java.util.Map;

/** Test helpers: export a graph to ONNX and run it in ONNX Runtime; read fixtures; compare. */
final class OrtGraph {
  private OrtGraph() {}

  static final Path FIXTURES = Path.of("src/test/resources/fixtures/optim");

  static OnnxRuntimeModel load(Graph g) { return OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray()); }

  static Map<String, HostTensor> run(Graph g, Map<String, HostTensor> feed) {
    try (OnnxRuntimeModel m = load(g)) {
      return m.run(feed);
    }
  }

  static HostTensor fixture(String name) { return Npy.read(FIXTURES.resolve(name + ".npy")); }

  static HostTensor scalar(double v) { return HostTensor.scalar(dev.kiln.spec.DType.F32, v); }

  static void assertClose(HostTensor expected, HostTensor actual, double rtol, double atol, String what) {
    assertNull(Close.compare(expected, actual, rtol, atol), what);
  }
}
