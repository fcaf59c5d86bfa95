package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test helpers: run a graph in ONNX Runtime (exported to ONNX) or TensorFlow; read fixtures; compare. */
final class OrtGraph {
  private OrtGraph() {}

  static final Path FIXTURES = Path.of("src/test/resources/fixtures/optim");

  static OnnxRuntimeModel load(Graph g) { return OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray()); }

  /** A loaded graph on one back end. */
  interface Runner extends AutoCloseable {
    Map<String, HostTensor> run(Map<String, HostTensor> feed);

    @Override void close();
  }

  /** The back ends every training test runs on. */
  static final List<String> BACKENDS = List.of("onnxruntime", "tensorflow");

  /** {@code g} exported to ONNX and loaded in ONNX Runtime, or lowered to TensorFlow. */
  static Runner runner(Graph g, String backend) {
    if (backend.equals("tensorflow")) {
      TfModel m = TfModel.load(g);
      return new Runner() {
        @Override public Map<String, HostTensor> run(Map<String, HostTensor> feed) { return m.run(feed); }

        @Override public void close() { m.close(); }
      };
    }
    OnnxRuntimeModel m = load(g);
    return new Runner() {
      @Override public Map<String, HostTensor> run(Map<String, HostTensor> feed) { return m.run(feed); }

      @Override public void close() { m.close(); }
    };
  }

  static Map<String, HostTensor> run(Graph g, String backend, Map<String, HostTensor> feed) {
    try (Runner r = runner(g, backend)) {
      return r.run(feed);
    }
  }

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
