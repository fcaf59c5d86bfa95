package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/**
 * y = x converted to dtype {@code to}, same shape. ONNX Cast-13 (attribute {@code to} is the ONNX
 * element-type code, which the exporter writes for a {@code DType} value).
 */
public final class Cast extends Op {
  @Override public String summary() { return "y = x converted to dtype `to`"; }

  @Override public Signature signature() {
    return Signature.inputs("x").required("to", AttrKind.DTYPE, "the output dtype");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    return List.of(new TensorType(attrs.getDType("to"), in.get(0).shape()));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Cast", 13).attr("to").lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Cast").attr("to", "DstT"); }

  /** dx = gy cast back to x's dtype, between floating dtypes; integer and bool sides have no gradient
   * (the autodiff driver never asks, as their values carry none). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      if (!node.input(0).type().dtype().isFloating() || !node.output().type().dtype().isFloating()) {
        return java.util.Collections.singletonList(null);
      }
      return List.of(Grad.in(b).castLike(gys.get(0), node.input(0)));
    };
  }
}
