package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.SourceLocation;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Split's VJP when some pieces have no gradient (passed as null): those pieces contribute zeros to the
 * joined gradient. The autodiff driver fills such gaps itself, so {@link OpGradientCheckTest} never
 * passes a null; this calls the rule directly and runs its result in ONNX Runtime.
 */
class SplitGradientTest {
  @Test
  void piecesWithoutGradientGetZeros() {
    GraphBuilder g = new GraphBuilder("split_vjp_gaps");
    Value x = g.input("x", new TensorType(DType.F32, Shape.of(2, 6)));
    Attrs attrs = Attrs.of("axis", -1L, "split", new long[] {1, 2, 3}, "outputs", 0L);
    Op split = OpRegistry.get(dev.kiln.spec.ops.Split.class);
    List<Value> pieces = g.apply(split, List.of(x), attrs);
    Value gy1 = g.input("gy1", pieces.get(1).type());
    Node node = new Node(split, List.of(x), attrs, pieces, List.of(), SourceLocation.UNKNOWN);
    List<Value> gx = split.vjp().apply(g, node, Arrays.asList(null, gy1, null));
    assertEquals(1, gx.size());
    assertEquals(x.type(), gx.get(0).type());
    g.output("dx", gx.get(0));
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g.build()).toByteArray())) {
      HostTensor dx = m.run(Map.of("x", HostTensor.ofFloats(new float[] {9, 8, 7, 6, 5, 4, 3, 2, 1, -1, -2, -3}, 2, 6),
          "gy1", HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2))).get("dx");
      // Row r: [0 | gy1[r] | 0 0 0], whatever x holds (non-zero here, so a gap filled from x would show).
      assertArrayEquals(new float[] {0, 1, 2, 0, 0, 0, 0, 3, 4, 0, 0, 0}, dx.toFloats());
    }
  }
}
