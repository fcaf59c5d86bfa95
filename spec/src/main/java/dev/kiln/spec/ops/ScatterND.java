package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * y = data with the slices of {@code updates} written at the coordinate tuples on the last axis of
 * {@code indices} (the inverse addressing of GatherND): replaced (reduction none; repeated indices leave the
 * result undefined, as in ONNX), or combined by add, mul, max or min. updates has shape indices.shape[:-1] +
 * data.shape[m:]. ONNX ScatterND-16 (max / min from 18); TF TensorScatterUpdate / Add / Max / Min (mul has no
 * TF form).
 */
public final class ScatterND extends Op {
  static final Set<String> REDUCTIONS = Set.of("none", "add", "mul", "max", "min");

  @Override public String summary() { return "y = data with updates written (or added, multiplied...) at coordinate tuples"; }

  @Override public Signature signature() {
    return Signature.inputs("data", "indices", "updates").attr("reduction", AttrKind.STRING, "none", "none, add, mul, max or min");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType data = in.get(0);
    TensorType idx = in.get(1);
    TensorType up = in.get(2);
    String red = a.getString("reduction");
    if (!REDUCTIONS.contains(red)) throw new ShapeException("attribute reduction must be one of " + new java.util.TreeSet<>(REDUCTIONS) + ", got '" + red + "'");
    if (!red.equals("none")) TypeRules.requireNumeric("input data", data);
    if (up.dtype() != data.dtype()) throw new ShapeException("input updates has dtype " + up.dtype() + " but data has " + data.dtype());
    GatherND.checked(data, idx, 0);
    int m = (int) idx.shape().dim(idx.rank() - 1).size();
    List<Dim> want = new ArrayList<>(idx.shape().dims().subList(0, idx.rank() - 1));
    want.addAll(data.shape().dims().subList(m, data.rank()));
    if (up.rank() != want.size()) throw new ShapeException("input updates must have shape " + want + ", got " + up.shape());
    for (int i = 0; i < want.size(); i++) TypeRules.unify("input updates must have shape " + want + ", axis " + i, up.shape().dim(i), want.get(i));
    return List.of(data);
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("ScatterND", 16, e -> {
      String red = e.node().attrs().getString("reduction");
      if ((red.equals("max") || red.equals("min")) && e.opset() < 18) {
        throw new UnsupportedOpException("ScatterND with reduction " + red + " needs ONNX opset 18, exporting " + e.opset());
      }
      e.emit("ScatterND", List.of(e.input(0), GatherND.int64(e, 1), e.input(2)), List.of(e.output(0)), Map.of("reduction", red));
    }));
  }

  @Override public TfLowering tf() { return TfLowering.custom("TensorScatterUpdate/Add/Max/Min"); }

  /**
   * none: ddata = gy with the written positions zeroed, dupdates = GatherND(gy); add: ddata = gy, dupdates =
   * GatherND(gy). mul, max and min have no gradient rule.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      String red = node.attrs().getString("reduction");
      Value gy = gys.get(0);
      Value dup = Ops.gatherND(b, gy, node.input(1));
      if (red.equals("add")) return java.util.Arrays.asList(gy, null, dup);
      if (!red.equals("none")) throw new ShapeException("ScatterND: no gradient for reduction " + red);
      Value zero = Ops.constant(b, HostTensor.fromDoubles(gy.type().dtype(), new double[] {0}));
      Value zeros = Ops.broadcastLike(b, zero, node.input(2));
      return java.util.Arrays.asList(Ops.scatterND(b, gy, node.input(1), zeros), null, dup);
    };
  }
}
