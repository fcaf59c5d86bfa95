package dev.kiln.runtime.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Conv;
import dev.kiln.dsl.DTypes;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Pool;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The DSL's composite activations and layers run in ONNX Runtime against independent formulas: GELU (erf by
 * its power series), SiLU, maxout, adaptive average pooling (PyTorch's index rule, by loops), transposed
 * convolution (by scattering each input cell), embedding (rows of its table) and PReLU (its slope layout).
 */
class DslLayersValuesTest {
  private static final Random RND = new Random(3);

  private static HostTensor random(long... shape) {
    float[] v = new float[Math.toIntExact(HostTensor.count(shape))];
    for (int i = 0; i < v.length; i++) v[i] = (float) (RND.nextGaussian() * 1.5);
    return HostTensor.ofFloats(v, shape);
  }

  private static HostTensor run(Model m, HostTensor x) {
    try (OnnxRuntimeModel r = OnnxRuntimeModel.load(OnnxExporter.toBytes(m.graph()))) {
      return r.run(Map.of("x", x)).get("y");
    }
  }

  private static Model unary(long[] shape, UnaryOperator<Tensor<F32>> f) {
    Object[] dims = new Object[shape.length];
    for (int i = 0; i < shape.length; i++) dims[i] = shape[i];
    return Model.build("unary", m -> f.apply(m.input("x", DTypes.F32, dims)).output("y"));
  }

  /** erf by its Maclaurin series, exact to double rounding for |x| &lt;= 5. */
  private static double erf(double x) {
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  private static void elementwise(UnaryOperator<Tensor<F32>> f, DoubleUnaryOperator expected) {
    HostTensor x = random(3, 7);
    float[] got = run(unary(new long[] {3, 7}, f), x).toFloats();
    for (int i = 0; i < got.length; i++) {
      double want = expected.applyAsDouble(x.getDouble(i));
      assertEquals(want, got[i], 2e-6 * Math.max(1, Math.abs(want)), "at x = " + x.getDouble(i));
    }
  }

  @Test
  void activations() {
    elementwise(Tensor::gelu, x -> 0.5 * x * (1 + erf(x / Math.sqrt(2))));
    elementwise(Tensor::geluTanh, x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
    elementwise(Tensor::silu, x -> x / (1 + Math.exp(-x)));
    elementwise(t -> t.swish(2), x -> x / (1 + Math.exp(-2 * x)));
    elementwise(Tensor::hardSigmoidOnnx, x -> Math.max(0, Math.min(1, 0.2 * x + 0.5)));
    elementwise(Tensor::hardSigmoidTorch, x -> Math.min(6, Math.max(0, x + 3)) / 6);
    elementwise(Tensor::hardSwish, x -> x * Math.min(6, Math.max(0, x + 3)) / 6);
    elementwise(Tensor::erf, DslLayersValuesTest::erf);
  }

  @Test
  void maxoutTakesTheMaxOfConsecutiveGroups() {
    HostTensor x = HostTensor.ofFloats(new float[] {1, 5, 2, 0, -1, -3, 7, 8, 6, 4, 9, 2}, 2, 6);
    HostTensor y = run(unary(new long[] {2, 6}, t -> t.maxout(3)), x);
    assertArrayEquals(new long[] {2, 2}, y.shape());
    assertArrayEquals(new float[] {5, 0, 8, 9}, y.toFloats());
  }

  private static float[] adaptiveByLoops(HostTensor x, int oh, int ow) {
    long[] s = x.shape();
    int nc = (int) (s[0] * s[1]);
    int h = (int) s[2];
    int w = (int) s[3];
    float[] out = new float[nc * oh * ow];
    for (int c = 0; c < nc; c++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          int h0 = i * h / oh;
          int h1 = ((i + 1) * h + oh - 1) / oh;
          int w0 = j * w / ow;
          int w1 = ((j + 1) * w + ow - 1) / ow;
          double sum = 0;
          for (int a = h0; a < h1; a++) for (int b = w0; b < w1; b++) sum += x.getDouble(c * h * w + a * w + b);
          out[c * oh * ow + i * ow + j] = (float) (sum / ((h1 - h0) * (w1 - w0)));
        }
      }
    }
    return out;
  }

  @Test
  void adaptiveAvgPoolFollowsPyTorchsIndexRule() {
    int[][] cases = {{5, 7, 3, 2}, {4, 6, 2, 3}, {5, 6, 2, 3}, {4, 4, 4, 4}, {3, 3, 1, 1}, {2, 3, 4, 5}};
    for (int[] c : cases) {
      HostTensor x = random(2, 3, c[0], c[1]);
      HostTensor y = run(unary(new long[] {2, 3, c[0], c[1]}, t -> t.adaptiveAvgPool2d(c[2], c[3])), x);
      assertArrayEquals(new long[] {2, 3, c[2], c[3]}, y.shape());
      float[] want = adaptiveByLoops(x, c[2], c[3]);
      float[] got = y.toFloats();
      for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5, java.util.Arrays.toString(c) + " at " + i);
    }
  }

  @Test
  void convTranspose2dScattersEachInputCell() {
    // x [1, 2, 3, 3], stride 2, kernel 3, pads 1 (cropped), output padding 1: out = (3-1)*2 - 2 + 3 + 1 = 6.
    HostTensor x = random(1, 2, 3, 3);
    Model model = Model.build("ct", m -> m.input("x", DTypes.F32, 1, 2, 3, 3)
        .convTranspose2d("up", Conv.out(4).kernel(3).stride(2).padding(Padding.explicit(1)).outputPadding(1)).output("y"));
    HostTensor w = model.graph().parameter("up.weight").orElseThrow().initial();
    HostTensor b = model.graph().parameter("up.bias").orElseThrow().initial();
    assertArrayEquals(new long[] {2, 4, 3, 3}, w.shape());
    HostTensor y = run(model, x);
    assertArrayEquals(new long[] {1, 4, 6, 6}, y.shape());
    double[] want = new double[4 * 36];
    for (int o = 0; o < 4; o++) for (int i = 0; i < 36; i++) want[o * 36 + i] = b.getDouble(o);
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          for (int o = 0; o < 4; o++) {
            for (int ki = 0; ki < 3; ki++) {
              for (int kj = 0; kj < 3; kj++) {
                int oi = i * 2 + ki - 1;
                int oj = j * 2 + kj - 1;
                if (oi < 0 || oi >= 6 || oj < 0 || oj >= 6) continue;
                want[o * 36 + oi * 6 + oj] += x.getDouble(c * 9 + i * 3 + j) * w.getDouble(((c * 4 + o) * 3 + ki) * 3 + kj);
              }
            }
          }
        }
      }
    }
    for (int i = 0; i < want.length; i++) assertEquals(want[i], y.getDouble(i), 1e-5, "at " + i);
  }

  @Test
  void convTranspose1dSeparableAndPoolingShapes() {
    Model model = Model.build("shapes", m -> {
      var x1 = m.input("x1", DTypes.F32, "batch", 3, 10);
      x1.convTranspose1d("ct", Conv.out(6).kernel(4).stride(2).groups(3)).output("ct");
      x1.maxPool1d(Pool.kernel(2)).output("mp1");
      x1.avgPool1d(Pool.kernel(3).stride(1)).output("ap1");
      var x2 = m.input("x2", DTypes.F32, "batch", 4, 9, 9);
      x2.separableConv2d("sep", Conv.out(8).kernel(3).padding(Padding.SAME)).output("sep");
      var x3 = m.input("x3", DTypes.F32, "batch", 2, 4, 6, 6);
      x3.conv3d("c3", Conv.out(5).kernel(3)).maxPool3d(Pool.kernel(2)).output("mp3");
      x3.avgPool3d(Pool.kernel(2)).output("ap3");
      return null;
    });
    var g = model.graph();
    assertEquals("[3, 2, 4]", g.parameter("ct.weight").orElseThrow().value().type().shape().toString());
    assertEquals("[4, 1, 3, 3]", g.parameter("sep.depthwise.weight").orElseThrow().value().type().shape().toString());
    assertEquals("[8, 4, 1, 1]", g.parameter("sep.pointwise.weight").orElseThrow().value().type().shape().toString());
    assertTrue(g.parameter("sep.depthwise.bias").isEmpty(), "the depthwise step has no bias");
    String[] want = {"ct: f32[batch, 6, 22]", "mp1: f32[batch, 3, 5]", "ap1: f32[batch, 3, 8]", "sep: f32[batch, 8, 9, 9]",
        "mp3: f32[batch, 5, 1, 2, 2]", "ap3: f32[batch, 2, 2, 3, 3]"};
    for (int i = 0; i < want.length; i++) {
      var out = g.outputs().get(i);
      assertEquals(want[i], out.name() + ": " + out.type(), "output " + i);
    }
  }

  @Test
  void embeddingLooksUpRowsOfItsTable() {
    Model model = Model.build("emb", m -> m.embedding("emb", m.input("x", DTypes.I64, 2, 3), 50, 4).output("y"));
    HostTensor table = model.graph().parameter("emb.weight").orElseThrow().initial();
    assertArrayEquals(new long[] {50, 4}, table.shape());
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < table.size(); i++) {
      sum += table.getDouble(i);
      sq += table.getDouble(i) * table.getDouble(i);
    }
    // N(0, 1) over 200 draws: mean within 4 standard errors (0.28), variance near 1.
    assertEquals(0, sum / 200, 0.28);
    assertEquals(1, sq / 200 - (sum / 200) * (sum / 200), 0.4);
    long[] ids = {0, 49, 7, 7, -1, 3};
    HostTensor y = run(model, HostTensor.ofLongs(ids, 2, 3));
    assertArrayEquals(new long[] {2, 3, 4}, y.shape());
    for (int k = 0; k < ids.length; k++) {
      long row = ids[k] < 0 ? ids[k] + 50 : ids[k];
      for (int d = 0; d < 4; d++) assertEquals(table.getDouble((int) (row * 4 + d)), y.getDouble(k * 4 + d), 0, "id " + ids[k]);
    }
  }

  @Test
  void preluLayerHasASlopePerChannel() {
    Model model = Model.build("prelu", m -> m.prelu("act", m.input("x", DTypes.F32, 1, 2, 2, 2)).output("y"));
    HostTensor slope = model.graph().parameter("act.weight").orElseThrow().initial();
    assertArrayEquals(new long[] {2, 1, 1}, slope.shape());
    assertArrayEquals(new float[] {0.25f, 0.25f}, slope.toFloats());
    HostTensor y = run(model, HostTensor.ofFloats(new float[] {-4, 4, -8, 0, 1, -2, 3, -1}, 1, 2, 2, 2));
    assertArrayEquals(new float[] {-1, 4, -2, 0, 1, -0.5f, 3, -0.25f}, y.toFloats());
  }
}
