package dev.kiln.compiler.passes;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float64 form of an f32 model: every f32 graph input, parameter, constant and cast target becomes f64, and the
 * type rules run again, so every computation on them (and, once the trainer differentiates it, every gradient and
 * optimizer update) is f64. Names, scopes and source lines are kept, so checkpoints and parameter names stay the same.
 *
 * <p>Why: training the same model on two back ends in f32 compounds their kernels' last-bit differences (oneDNN's
 * against MLAS's) over many steps; in f64 those differences are ~1e-16 instead of ~1e-7, which isolates the two
 * implementations' math from their rounding (docs/onnx-training.md). The trainer's step counter input
 * ({@value TrainingForm#STEP}) stays f32, as the trainer feeds it; initial values widen exactly (an f32 is an f64), so
 * the f64 model starts where the f32 one does.
 */
public final class WidenToF64 {
  private WidenToF64() {}

  /** {@code g} with its f32 tensors made f64; a graph without f32 tensors comes back equal in content. */
  public static Graph run(Graph g) {
    GraphBuilder b = new GraphBuilder(g.name());
    Map<Value, Value> map = new IdentityHashMap<>();
    for (Value v : g.inputs()) {
      map.put(v, b.input(v.name(), v.name().equals(TrainingForm.STEP) ? v.type() : widen(v.type())));
    }
    for (Parameter p : g.parameters()) {
      map.put(p.value(), b.at(List.of(), null, () -> b.parameter(p.name(), widen(p.initial()), p.trainable(), p.initializer())));
    }
    for (Node n : g.nodes()) {
      List<Value> in = new ArrayList<>();
      for (Value v : n.inputs()) in.add(v == null ? null : map.get(v));
      Node wide = new Node(n.op(), n.inputs(), widen(n, n.attrs()), n.outputs(), n.scope(), n.location());
      Node copy = b.copy(wide, in);
      for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i), copy.outputs().get(i));
    }
    for (Value o : g.outputs()) b.output(map.get(o));
    g.metadata().forEach(b::metadata);
    return b.build();
  }

  private static Attrs widen(Node n, Attrs attrs) {
    Attrs out = attrs;
    for (Map.Entry<String, Object> e : attrs.asMap().entrySet()) {
      Object v = e.getValue();
      if (v == DType.F32) out = out.with(e.getKey(), DType.F64);
      else if (v instanceof HostTensor t && t.dtype() == DType.F32) out = out.with(e.getKey(), widen(t));
      else if (v instanceof Graph) {
        // A subgraph reads outer values by name, so widening it alone could leave mixed dtypes; no zoo model has one.
        throw new KilnException("float64: node '" + n.output().name() + "' (" + n.opName() + ", " + n.location()
            + ") has a subgraph attribute '" + e.getKey() + "'; control flow is not widened to f64");
      }
    }
    return out;
  }

  static TensorType widen(TensorType t) { return t.dtype() == DType.F32 ? new TensorType(DType.F64, t.shape()) : t; }

  /** An f32 tensor as f64 (exact: every f32 is an f64); any other tensor as it is. */
  public static HostTensor widen(HostTensor t) {
    return t.dtype() == DType.F32 ? HostTensor.ofDoubles(t.toDoubles(), t.shape()) : t;
  }
}
