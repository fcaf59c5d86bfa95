package dev.kiln.runtime.onnx;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.harness.Close;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.ir.Graph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DSL's MLP exported to an ONNX file and run in ONNX Runtime at two batch sizes, checked against
 * a plain-Java forward pass over the model's own parameter values.
 */
class ExportedModelTest {
  @TempDir static Path dir;
  private static Model mlp;
  private static Path file;

  @BeforeAll
  static void export() throws Exception {
    Dim batch = Dim.symbolic("batch");
    // Non-zero biases (PyTorch's default fan-in uniform) so the bias adds are checked too.
    mlp = Model.build("mlp", 11, m -> {
      Tensor<F32> x = m.input("x", F32, batch, 784);
      Tensor<F32> h = m.linear("fc1", x, 256, true, Initializers.glorotUniform(), Initializers.fanInUniform()).relu();
      return m.linear("fc2", h, 10, true, Initializers.glorotUniform(), Initializers.fanInUniform());
    });
    file = dir.resolve("mlp.onnx");
    OnnxExporter.write(mlp.graph(), file);
  }

  private static float[] param(Graph g, String name) { return g.parameter(name).orElseThrow().initial().toFloats(); }

  /** y = x @ w + b, optionally relu, accumulated in double: an independent reference. */
  private static float[] dense(float[] x, int rows, float[] w, float[] b, int in, int out, boolean relu) {
    float[] y = new float[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < out; j++) {
        double s = b[j];
        for (int k = 0; k < in; k++) s += (double) x[r * in + k] * w[k * out + j];
        y[r * out + j] = (float) (relu ? Math.max(s, 0) : s);
      }
    }
    return y;
  }

  private static float[] reference(float[] x, int rows) {
    Graph g = mlp.graph();
    float[] h = dense(x, rows, param(g, "fc1.weight"), param(g, "fc1.bias"), 784, 256, true);
    return dense(h, rows, param(g, "fc2.weight"), param(g, "fc2.bias"), 256, 10, false);
  }

  private static HostTensor randomInput(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[rows * 784];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
    return HostTensor.ofFloats(v, rows, 784);
  }

  @Test
  void runsAtBatch1And7FromOneFile() {
    assertTrue(mlp.graph().parameter("fc1.bias").orElseThrow().initial().toDoubles()[0] != 0, "biases are non-zero");
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(file)) {
      assertEquals("[x: f32[batch, 784]]", m.inputs().toString());
      assertEquals("[output: f32[batch, 10]]", m.outputs().toString());
      for (int rows : new int[] {1, 7}) {
        HostTensor x = randomInput(rows, rows);
        HostTensor y = m.run(Map.of("x", x)).get("output");
        assertArrayEquals(new long[] {rows, 10}, y.shape());
        HostTensor expected = HostTensor.ofFloats(reference(x.toFloats(), rows), rows, 10);
        assertNull(Close.compare(expected, y, 1e-5, 1e-5), "batch " + rows);
      }
    }
  }

  @Test
  void wrongInputsListWhatTheModelExpects() {
    String expects = "x: f32[batch, 784]";
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(file)) {
      KilnException name = assertThrows(KilnException.class, () -> m.run(Map.of("images", randomInput(1, 1))));
      assertTrue(name.getMessage().contains("no input 'images'") && name.getMessage().contains(expects), name.getMessage());
      HostTensor f64 = HostTensor.filled(DType.F64, new long[] {1, 784}, 0);
      KilnException dtype = assertThrows(KilnException.class, () -> m.run(Map.of("x", f64)));
      assertTrue(dtype.getMessage().contains("must be f32, got f64") && dtype.getMessage().contains(expects), dtype.getMessage());
      HostTensor narrow = HostTensor.filled(DType.F32, new long[] {2, 783}, 0);
      KilnException shape = assertThrows(KilnException.class, () -> m.run(Map.of("x", narrow)));
      assertTrue(shape.getMessage().contains("[2, 783]") && shape.getMessage().contains("expects [batch, 784]")
          && shape.getMessage().contains(expects), shape.getMessage());
    }
  }

  @Test
  void aTruncatedFileIsAModelFileException() throws Exception {
    byte[] whole = Files.readAllBytes(file);
    Path cut = dir.resolve("truncated.onnx");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxRuntimeModel.load(cut));
    assertTrue(e.getMessage().contains("truncated.onnx"), e.getMessage());
  }
}
