package dev.kiln.dsl;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.Node;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Convolution, pooling and shape ops through the DSL: shapes, parameters, padding, and a run in ONNX Runtime. */
class ConvNetTest {
  private static final Dim BATCH = Dim.symbolic("batch");

  private static Model smallCnn() {
    return Model.build("cnn", m -> {
      Tensor<F32> x = m.input("x", F32, BATCH, 1, 28, 28);
      Tensor<F32> h = x.conv2d("conv1", Conv.out(8).kernel(3).padding(Padding.SAME)).relu();
      assertEquals(Shape.parse(BATCH, 8, 28, 28), h.shape());
      h = h.maxPool2d(2);
      assertEquals(Shape.parse(BATCH, 8, 14, 14), h.shape());
      h = h.conv2d("conv2", Conv.out(16).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2);
      assertEquals(Shape.parse(BATCH, 16, 7, 7), h.shape());
      h = h.flatten();
      assertEquals(Shape.parse(BATCH, 16 * 7 * 7), h.shape());
      return h.linear("fc", 10);
    });
  }

  @Test
  void smallCnnShapesAndParameters() {
    Model model = smallCnn();
    assertEquals(Shape.parse(BATCH, 10), model.graph().outputs().get(0).type().shape());
    assertEquals(Shape.of(8, 1, 3, 3), model.graph().parameter("conv1.weight").orElseThrow().initial().type().shape());
    assertEquals(Shape.of(8), model.graph().parameter("conv1.bias").orElseThrow().initial().type().shape());
    assertEquals(Shape.of(16, 8, 3, 3), model.graph().parameter("conv2.weight").orElseThrow().initial().type().shape());
    assertEquals(Shape.of(784, 10), model.graph().parameter("fc.weight").orElseThrow().initial().type().shape());
    assertEquals(8 * 9 + 8 + 16 * 8 * 9 + 16 + 784 * 10 + 10, model.graph().parameterCount());
    // He-uniform with PyTorch's fan-in C/g * kh * kw = 72 for conv2: every weight within sqrt(6 / 72).
    double bound = Math.sqrt(6.0 / 72);
    for (double v : model.graph().parameter("conv2.weight").orElseThrow().initial().toDoubles()) {
      assertTrue(Math.abs(v) <= bound, "weight " + v + " outside He-uniform bound " + bound);
    }
  }

  @Test
  void smallCnnRunsInOnnxRuntime() throws Exception {
    byte[] onnx = OnnxExporter.toBytes(smallCnn().graph());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
         OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[2 * 28 * 28]), new long[] {2, 1, 28, 28});
         OrtSession.Result r = s.run(Map.of("x", in))) {
      assertArrayEquals(new long[] {2, 10}, ((OnnxTensor) r.get(0)).getInfo().getShape());
    }
  }

  @Test
  void samePaddingValuesByHand() throws Exception {
    // All-ones input and weights, zero bias, 3x3 SAME over 4x4, two groups of one channel each: an output
    // cell counts the input cells its window covers: 4 at corners, 6 on edges, 9 inside.
    Model model = Model.build("same", m -> m.input("x", F32, 1, 2, 4, 4)
        .conv2d("c", Conv.out(2).kernel(3).padding(Padding.SAME).groups(2).weightInit(Initializers.ones())));
    float[] ones = new float[2 * 16];
    java.util.Arrays.fill(ones, 1f);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(OnnxExporter.toBytes(model.graph()), new OrtSession.SessionOptions());
         OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(ones), new long[] {1, 2, 4, 4});
         OrtSession.Result r = s.run(Map.of("x", in))) {
      float[][][][] y = (float[][][][]) r.get(0).getValue();
      float[] row0 = {4, 6, 6, 4};
      float[] row1 = {6, 9, 9, 6};
      for (int c = 0; c < 2; c++) {
        assertArrayEquals(row0, y[0][c][0]);
        assertArrayEquals(row1, y[0][c][1]);
        assertArrayEquals(row1, y[0][c][2]);
        assertArrayEquals(row0, y[0][c][3]);
      }
    }
  }

  @Test
  void depthwiseDilatedStridedShapes() {
    Model.build("convs", m -> {
      Tensor<F32> x = m.input("x", F32, BATCH, 16, 32, 32);
      Tensor<F32> dw = x.conv2d("dw", Conv.out(32).kernel(3).groups(16).padding(Padding.SAME));
      assertEquals(Shape.parse(BATCH, 32, 32, 32), dw.shape());
      assertEquals(Shape.of(32, 1, 3, 3), dw.builder().graph().parameters().stream()
          .filter(p -> p.name().equals("dw.weight")).findFirst().orElseThrow().initial().type().shape());
      // Dilation 2 makes a 3x3 kernel span 5: VALID gives 32 - 4 = 28.
      Tensor<F32> dil = x.conv2d("dil", Conv.out(8).kernel(3).dilation(2));
      assertEquals(Shape.parse(BATCH, 8, 28, 28), dil.shape());
      // Stride 2, SAME on 32: ceil(32 / 2) = 16; on 7: 4 with pads (1, 1).
      Tensor<F32> st = x.conv2d("st", Conv.out(8).kernel(3).stride(2).padding(Padding.SAME).bias(false));
      assertEquals(Shape.parse(BATCH, 8, 16, 16), st.shape());
      Tensor<F32> odd = m.input("odd", F32, 1, 4, 7, 8);
      Tensor<F32> o = m.conv2d("odd_conv", odd, Conv.out(4).kernel(3).stride(2).padding(Padding.SAME));
      assertEquals(Shape.of(1, 4, 4, 4), o.shape());
      Node n = lastNode(m);
      // 7: total pad 2 -> 1 before, 1 after; 8: total pad 1 -> 0 before, 1 after (SAME_UPPER).
      assertArrayEquals(new long[] {1, 0, 1, 1}, n.attrs().getLongs("pads"));
      Tensor<F32> grouped = m.conv1d("g1", m.input("seq", F32, BATCH, 6, 50), Conv.out(9).kernel(5).stride(3).groups(3));
      assertEquals(Shape.parse(BATCH, 9, 16), grouped.shape());
      return dw;
    });
  }

  @Test
  void poolingAndShapeOps() {
    Model.build("shapes", m -> {
      Tensor<F32> x = m.input("x", F32, BATCH, 4, 9, 9);
      assertEquals(Shape.parse(BATCH, 4, 5, 5), x.maxPool2d(Pool.kernel(2).ceil(true)).shape());
      assertEquals(Shape.parse(BATCH, 4, 4, 4), x.avgPool2d(Pool.kernel(3).stride(2)).shape());
      assertEquals(Shape.parse(BATCH, 4, 5, 5), x.avgPool2d(Pool.kernel(3).stride(2).padding(Padding.SAME)).shape());
      assertEquals(Shape.parse(BATCH, 4, 1, 1), x.globalAvgPool().shape());
      assertEquals(Shape.parse(BATCH, 4), x.globalMaxPool().squeeze(2, 3).shape());
      assertEquals(Shape.parse(BATCH, 324), x.reshape(BATCH, -1).shape());
      assertEquals(Shape.parse(BATCH, 36, 9), x.reshape("batch", 36, 9).shape());
      assertEquals(Shape.parse(9, BATCH, 36), x.transpose(2, 0, 1, 3).reshape(9, BATCH, 36).shape());
      assertEquals(Shape.parse(BATCH, 9, 9, 4), x.transpose(0, 2, 3, 1).shape());
      assertEquals(Shape.parse(Dim.unknown(), 81), x.flatten(2).shape());
      assertEquals(Shape.parse(BATCH, 2, 9, 9), x.slice(1, 1, 3).shape());
      assertEquals(Shape.parse(BATCH, 4, 9, 3), x.slice(-1, -1, Long.MIN_VALUE, -3).shape());
      assertEquals(Shape.parse(BATCH, 12, 9, 9), x.concat(1, x, x).shape());
      assertEquals(Shape.parse(BATCH, 1, 4, 9, 9), x.unsqueeze(1).shape());
      assertEquals(Shape.parse(BATCH, 8, 9, 9), ModelBuilder.concat(1, x, x).shape());
      return x;
    });
  }

  @Test
  void mistakesAreReportedAtTheCall() {
    ShapeException e = assertThrows(ShapeException.class, () -> Model.build("bad", m ->
        m.input("x", F32, 1, 6, 8, 8).conv2d("c", Conv.out(8).kernel(3).groups(4))));
    assertTrue(e.getMessage().contains("groups 4 must divide input channels 6"), e.getMessage());
    e = assertThrows(ShapeException.class, () -> Model.build("bad", m ->
        m.input("x", F32, BATCH, 6, 5, 5).conv2d("c", Conv.out(8).kernel(3).stride(2).padding(Padding.explicit(1, 1, 1)))));
    assertTrue(e.getMessage().contains("must have 1, 2 or 4 entries"), e.getMessage());
    e = assertThrows(ShapeException.class, () -> Model.build("bad", m -> m.input("x", F32, BATCH, 6, 5).reshape(BATCH, 7, -1)));
    assertTrue(e.getMessage().contains("Reshape"), e.getMessage());
    e = assertThrows(ShapeException.class, () -> Model.build("bad", m -> m.input("x", F32, 2, 6).reshape(-1, BATCH)));
    assertTrue(e.getMessage().contains("only one may be inferred"), e.getMessage());
  }

  private static Node lastNode(ModelBuilder m) {
    return m.graph().nodes().get(m.graph().nodes().size() - 1);
  }
}
