package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;

/**
 * Importers of array ops whose ONNX operands may be computed at run time: CumSum (the axis input becomes
 * the IR attribute when constant, else stays an input); EyeLike (dtype defaults to the input's);
 * ScatterElements and its older name Scatter (opsets 9-10); ScatterND; GatherND; TopK (k an attribute before opset 10, then
 * an input: the IR attribute when constant; results always sorted, which sorted=0 allows).
 */
final class LayoutImporters {
  private LayoutImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("CumSum", LayoutImporters::cumSum);
    m.put("EyeLike", LayoutImporters::eyeLike);
    m.put("TopK", LayoutImporters::topK);
    m.put("GatherND", (n, c) -> {
      c.onlyAttrs("batch_dims");
      c.define(Ops.gatherND(c, c.in(0), c.in(1), c.attrInt("batch_dims", 0)));
    });
    m.put("ScatterElements", LayoutImporters::scatterElements);
    m.put("Scatter", LayoutImporters::scatterElements);
    m.put("ScatterND", (n, c) -> {
      c.onlyAttrs("reduction");
      c.define(Ops.scatterND(c, c.in(0), c.in(1), c.in(2), c.attrString("reduction", "none")));
    });
  }

  private static void cumSum(NodeProto n, ImportContext c) {
    c.onlyAttrs("exclusive", "reverse");
    Attrs a = Attrs.of("exclusive", c.attrInt("exclusive", 0) != 0, "reverse", c.attrInt("reverse", 0) != 0);
    HostTensor axis = c.constant(1);
    if (!c.hasInput(1)) throw c.fail("input 1 (axis) is required");
    if (axis != null) {
      if (axis.size() != 1) throw c.fail("axis must hold one value, has shape " + java.util.Arrays.toString(axis.shape()));
      c.define(Ops.cumSum(c, c.in(0), null, a.with("axis", axis.getLong(0))));
    } else {
      c.define(Ops.cumSum(c, c.in(0), c.in(1), a));
    }
  }

  private static void eyeLike(NodeProto n, ImportContext c) {
    c.onlyAttrs("dtype", "k");
    Object x = c.in(0);
    DType own = ImportContext.typeOf(x).dtype();
    DType dt = own;
    if (c.attr("dtype") != null) {
      try {
        dt = DType.fromOnnx(Math.toIntExact(c.attrInt("dtype", 0)));
      } catch (KilnException | ArithmeticException e) {
        throw c.unsupported("attribute 'dtype': " + e.getMessage());
      }
    }
    c.define(Ops.eyeLike(c, x, dt, c.attrInt("k", 0)));
  }

  private static void scatterElements(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis", "reduction");
    Attrs a = Attrs.of("axis", c.attrInt("axis", 0), "reduction", c.attrString("reduction", "none"));
    c.define(Ops.scatterElements(c, c.in(0), c.in(1), c.in(2), a));
  }

  private static void topK(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis", "largest", "sorted", "k");
    Attrs a = Attrs.of("axis", c.attrInt("axis", -1), "largest", c.attrInt("largest", 1) != 0);
    List<Object> outs;
    if (c.opset() < 10) {
      outs = Ops.topK(c, c.in(0), null, a.with("k", c.attrInt("k", 1)));
    } else {
      HostTensor k = c.constant(1);
      if (!c.hasInput(1)) throw c.fail("input 1 (K) is required");
      if (k != null && k.size() != 1) throw c.fail("K must hold one value, has shape " + java.util.Arrays.toString(k.shape()));
      outs = k != null ? Ops.topK(c, c.in(0), null, a.with("k", k.getLong(0))) : Ops.topK(c, c.in(0), c.in(1), a);
    }
    c.define(0, outs.get(0));
    c.define(1, outs.get(1));
  }
}
