package dev.kiln.spec.op;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import java.util.List;

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
  @Override public TfLowering tf() { return TfLowering.custom(name()); }
}
