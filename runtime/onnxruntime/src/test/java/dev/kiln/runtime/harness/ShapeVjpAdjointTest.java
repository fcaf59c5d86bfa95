package dev.kiln.runtime.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shape ops are linear, so a correct VJP is the adjoint of the forward map: for random x and gy,
 * {@code <gy, f(x)> == sum_i <gx_i, x_i>}. Both sides are computed in ONNX Runtime from one exported graph
 * holding the forward op and its VJP.
 */
class ShapeVjpAdjointTest {
  record Case(String op, List<long[]> shapes, Attrs attrs) {
    @Override public String toString() { return op + " " + attrs; }
  }

  static List<Case> cases() {
    return List.of(
        new Case("Transpose", List.of(new long[] {2, 3, 4}), Attrs.of("perm", new long[] {1, 2, 0})),
        new Case("Transpose", List.of(new long[] {2, 3}), Attrs.EMPTY),
        new Case("Reshape", List.of(new long[] {2, 3, 4}), Attrs.of("shape", new long[] {4, -1})),
        new Case("Flatten", List.of(new long[] {2, 3, 4}), Attrs.of("axis", 2)),
        new Case("Squeeze", List.of(new long[] {2, 1, 3}), Attrs.of("axes", new long[] {1})),
        new Case("Unsqueeze", List.of(new long[] {2, 3}), Attrs.of("axes", new long[] {0, 3})),
        new Case("Concat", List.of(new long[] {2, 3}, new long[] {2, 1}, new long[] {2, 2}), Attrs.of("axis", -1)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void vjpIsTheAdjoint(Case c) {
    SplittableRandom rng = new SplittableRandom(7);
    GraphBuilder g = new GraphBuilder("adjoint");
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    List<Value> xs = new ArrayList<>();
    for (int i = 0; i < c.shapes().size(); i++) {
      HostTensor x = random(rng, c.shapes().get(i));
      feed.put("x" + i, x);
      xs.add(g.input("x" + i, x.type()));
    }
    Value y = g.apply(OpRegistry.get(c.op()), xs, c.attrs()).get(0);
    Node node = g.nodes().get(g.nodes().size() - 1);
    HostTensor gyData = random(rng, y.type().shape().sizes());
    feed.put("gy", gyData);
    Value gy = g.input("gy", gyData.type());
    List<Value> gxs = OpRegistry.get(c.op()).vjp().apply(g, node, List.of(gy));
    g.output("y", y);
    for (int i = 0; i < gxs.size(); i++) {
      assertEquals(xs.get(i).type(), gxs.get(i).type(), "gradient type of input " + i);
      g.output("gx" + i, gxs.get(i));
    }
    byte[] model = OnnxExporter.export(g.build(), ExportOptions.defaults()).toByteArray();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      Map<String, HostTensor> out = m.run(feed);
      double lhs = dot(gyData, out.get("y"));
      double rhs = 0;
      for (int i = 0; i < gxs.size(); i++) rhs += dot(out.get("gx" + i), feed.get("x" + i));
      assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)), "<gy, f(x)> vs <vjp(gy), x>");
    }
  }

  private static HostTensor random(SplittableRandom rng, long[] shape) {
    double[] v = new double[(int) HostTensor.count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(-1, 1);
    return HostTensor.ofDoubles(v, shape);
  }

  private static double dot(HostTensor a, HostTensor b) {
    double[] x = a.toDoubles();
    double[] y = b.toDoubles();
    assertEquals(x.length, y.length, "element counts");
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }

}
