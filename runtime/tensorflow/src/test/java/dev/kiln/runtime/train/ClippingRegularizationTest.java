package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradient clipping and penalties run in ONNX Runtime, against hand-computed values. */
class ClippingRegularizationTest {
  private static final HostTensor A = HostTensor.ofFloats(new float[] {3, -4, 0.5f, -0.25f}, 2, 2);
  private static final HostTensor B = HostTensor.ofFloats(new float[] {12, 0}, 2);

  private static Map<String, HostTensor> run(java.util.function.BiFunction<GraphBuilder, List<Value>, List<Value>> f) {
    GraphBuilder b = new GraphBuilder("clip");
    List<Value> in = List.of(b.input("a", A.type()), b.input("b", B.type()));
    List<Value> out = f.apply(b, in);
    for (int i = 0; i < out.size(); i++) b.output("out" + i, out.get(i));
    return OrtGraph.run(b.build(), Map.of("a", A, "b", B));
  }

  @Test void byValue() {
    Map<String, HostTensor> got = run((b, g) -> GradientClipping.byValue(1).apply(b, g));
    OrtGraph.assertClose(HostTensor.ofFloats(new float[] {1, -1, 0.5f, -0.25f}, 2, 2), got.get("out0"), 0, 0, "a");
    OrtGraph.assertClose(HostTensor.ofFloats(new float[] {1, 0}, 2), got.get("out1"), 0, 0, "b");
  }

  /** Global norm sqrt(9 + 16 + 0.25 + 0.0625 + 144) = sqrt(169.3125); scaled to norm 6.5. */
  @Test void byGlobalNormScalesDown() {
    Map<String, HostTensor> got = run((b, g) -> GradientClipping.byGlobalNorm(6.5).apply(b, g));
    double f = 6.5 / Math.sqrt(169.3125);
    OrtGraph.assertClose(HostTensor.ofFloats(new float[] {(float) (3 * f), (float) (-4 * f), (float) (0.5 * f), (float) (-0.25 * f)}, 2, 2),
        got.get("out0"), 1e-6, 1e-7, "a");
    OrtGraph.assertClose(HostTensor.ofFloats(new float[] {(float) (12 * f), 0}, 2), got.get("out1"), 1e-6, 1e-7, "b");
  }

  @Test void byGlobalNormLeavesSmallGradients() {
    Map<String, HostTensor> got = run((b, g) -> GradientClipping.byGlobalNorm(20).apply(b, g));
    OrtGraph.assertClose(A, got.get("out0"), 0, 0, "a");
    OrtGraph.assertClose(B, got.get("out1"), 0, 0, "b");
  }

  @Test void penalties() {
    Map<String, HostTensor> got = run((b, p) -> List.of(Regularization.l1(0.1).penalty(b, p), Regularization.l2(0.01).penalty(b, p)));
    OrtGraph.assertClose(HostTensor.scalar(dev.kiln.spec.DType.F32, 0.1 * 19.75), got.get("out0"), 1e-6, 0, "l1");
    OrtGraph.assertClose(HostTensor.scalar(dev.kiln.spec.DType.F32, 0.01 * 169.3125), got.get("out1"), 1e-6, 0, "l2");
  }
}
