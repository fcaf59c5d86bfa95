package dev.kiln.spec.ops;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.ShapeOperands;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;

/**
 * Padding with the pads (ONNX order: all begins, then all ends, each >= 0) as a run-time int64 tensor of
 * length 2 x rank, in mode constant (the optional scalar {@code value}, default 0), reflect (mirror without
 * the border cell) or edge (the border cell repeated). ONNX Pad-13; TF PadV2 / MirrorPad, edge as a Gather of
 * clamped indices per axis.
 */
public final class DynamicPad extends Op {
  private static final List<String> MODES = List.of("constant", "reflect", "edge");

  @Override public String summary() { return "y = x padded by pads given at run time (constant, reflect or edge)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "pads", "value").optionalFrom(2)
        .attr("mode", AttrKind.STRING, "constant", "constant, reflect or edge");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireNumeric("input x", x);
    int n = ShapeOperands.length(in.get(1), "pads");
    if (n != 2 * x.rank()) throw new ShapeException("input pads has " + n + " entries, x " + x.shape() + " needs 2 x rank = " + 2 * x.rank());
    String mode = attrs.getString("mode");
    if (!MODES.contains(mode)) throw new ShapeException("mode must be one of " + MODES + ", got " + mode);
    if (in.size() > 2) {
      TensorType v = in.get(2);
      if (v.dtype() != x.dtype()) throw new ShapeException("input value must be " + x.dtype() + " like x, got " + v.dtype());
      if (v.shape().isStatic() && v.shape().elementCount() != 1) throw new ShapeException("input value must hold one element, got " + v.shape());
    }
    return List.of(x.withShape(ShapeOperands.unknown(x.rank())));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Pad", 13).attr("mode").lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("PadV2"); }

  /**
   * Constant mode: dx = gy sliced from the begin pads to begin pads + x's shape (the cells x filled). Reflect
   * and edge read cells of x twice; their gradient is not declared.
   */
  @Override public Vjp vjp() { return Vjp.firstInputOnly(DynamicPad::backward); }

  private static Value backward(GraphBuilder b, Node node, Value gy) {
    String mode = node.attrs().getString("mode");
    if (!mode.equals("constant")) throw new KilnException("DynamicPad: no gradient for mode " + mode + " (only constant)");
    Value x = node.input(0);
    int r = x.type().rank();
    Value begins = Ops.slice(b, node.input(1), new long[] {0}, new long[] {r});
    Value ends = Ops.add(b, begins, Ops.shape(b, x));
    return DynamicReshape.like(b, Ops.dynamicSlice(b, gy, begins, ends), x);
  }
}
