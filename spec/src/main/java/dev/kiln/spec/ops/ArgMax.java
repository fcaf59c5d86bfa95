package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
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

/**
 * y = index of the largest element along {@code axis} (the first one on ties), I64; the axis is
 * dropped unless {@code keepdims}. ONNX ArgMax-13 ({@code select_last_index} = 0); TF ArgMax
 * (output_type int64), plus ExpandDims for keepdims.
 */
public final class ArgMax extends Op {
  @Override public String summary() { return "y = index of the max along axis (first on ties), int64"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .attr("axis", AttrKind.INT, -1L, "the axis to search (negative counts from the end)")
        .attr("keepdims", AttrKind.BOOL, false, "keep the axis as size 1");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireNumeric("input x", x);
    TypeRules.requireRankAtLeast("input x", x, 1);
    int axis = x.shape().axis("attribute axis", attrs.getLong("axis"));
    List<Dim> out = new ArrayList<>(x.shape().dims());
    if (attrs.getBool("keepdims")) out.set(axis, Dim.of(1));
    else out.remove(axis);
    return List.of(new TensorType(DType.I64, Shape.of(out)));
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("ArgMax", 13, e -> {
      Attrs a = e.node().attrs();
      // NOTE: select_last_index = 0 makes ties give the first index, as TF's CPU kernel does.
      e.emit("ArgMax", List.of(e.input(0)), List.of(e.output(0)), Map.of("axis", a.getLong("axis"),
          "keepdims", Onnx.boolToInt(a.getBool("keepdims")), "select_last_index", 0L));
    }));
  }

  @Override public TfLowering tf() { return TfLowering.custom("ArgMax"); }

  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
