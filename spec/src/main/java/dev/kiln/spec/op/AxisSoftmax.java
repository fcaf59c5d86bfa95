package dev.kiln.spec.op;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import java.util.List;
import java.util.Map;

/**
 * Base for Softmax and LogSoftmax: a float op normalising along one {@code axis} (default -1), with
 * ONNX opset-13 semantics (the old "flatten from axis" forms of opsets 1..12 are not used). Subclasses
 * name the ONNX and TF op, which share a name.
 */
public abstract class AxisSoftmax extends Op {
  @Override public Signature signature() {
    return Signature.inputs("x").attr("axis", AttrKind.INT, -1L, "the axis to normalise along (negative counts from the end)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireFloat("input x", x);
    TypeRules.requireRankAtLeast("input x", x, 1);
    x.shape().axis("attribute axis", attrs.getLong("axis"));
    return List.of(x);
  }

  @Override public OnnxLowering onnx() { return Onnx.op(name(), 13).attr("axis").lowering(); }

  /**
   * TF's op normalises along the last axis only; for another axis the lowering swaps it with the last
   * one, applies the op and swaps back (a swap is its own inverse permutation).
   */
  @Override public TfLowering tf() {
    return TfLowering.custom(name(), e -> {
      int rank = e.node().inputs().get(0).type().rank();
      int axis = e.node().inputs().get(0).type().shape().axis(name(), e.node().attrs().getLong("axis"));
      if (axis == rank - 1) return e.op(name(), List.of(e.input(0)), Map.of(), 1);
      int[] perm = new int[rank];
      for (int i = 0; i < rank; i++) perm[i] = i;
      perm[axis] = rank - 1;
      perm[rank - 1] = axis;
      Object permT = e.constant(HostTensor.ofInts(perm, rank));
      Object moved = e.op("Transpose", List.of(e.input(0), permT), Map.of(), 1).get(0);
      Object y = e.op(name(), List.of(moved), Map.of(), 1).get(0);
      return e.op("Transpose", List.of(y, permT), Map.of(), 1);
    });
  }
}
