package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.op.Windows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Max over all spatial axes of x [N, C, *spatial], kept as size 1: y [N, C, 1, ...]. ONNX GlobalMaxPool-1. */
public final class GlobalMaxPool extends Op {
  @Override public String summary() { return "y = max over all spatial axes, kept as size 1 ([N, C, 1, 1])"; }

  @Override public Signature signature() { return Signature.inputs("x"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireNumeric("input x", x);
    Windows.requireSpatialRank(x);
    List<Dim> out = new ArrayList<>(x.shape().dims().subList(0, 2));
    out.addAll(Collections.nCopies(x.rank() - 2, Dim.of(1)));
    return List.of(x.withShape(Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("GlobalMaxPool", 1).lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("Max"); }

  /** As MaxPool's gradient with one window covering all spatial axes (static sizes needed). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> List.of(Ops.maxPoolGrad(b, node.input(0), gys.get(0), GlobalAveragePool.spatialSizes(node.inputs().get(0).type())));
  }
}
