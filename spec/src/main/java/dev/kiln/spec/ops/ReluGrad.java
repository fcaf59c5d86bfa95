package dev.kiln.spec.ops;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * y = gy where x &gt; 0, else 0: the gradient of Relu, a primitive so that its own gradient exists.
 * ONNX: Greater-13 + Where-9 (emitted from opset 13) (no single ONNX op); TF ReluGrad.
 */
public final class ReluGrad extends Op {
  @Override public String summary() { return "y = gy where x > 0 else 0 (the gradient of Relu)"; }

  @Override public Signature signature() { return Signature.inputs("x", "gy"); }

  @Override public boolean pointwise() { return true; }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireNumeric("input x", in.get(0));
    TypeRules.sameDType(in);
    if (!in.get(0).shape().equals(in.get(1).shape())) {
      throw new ShapeException("input gy must have x's shape " + in.get(0).shape() + ", got " + in.get(1).shape());
    }
    return List.of(in.get(1));
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("Where", 13, e -> {
      String zero = e.constant(HostTensor.scalar(e.node().input(0).type().dtype(), 0), "zero");
      String positive = e.fresh("positive");
      e.emit("Greater", List.of(e.input(0), zero), List.of(positive), Map.of());
      // NOTE: Where, not gy * cast(x > 0): a multiply would turn gy = inf at x <= 0 into NaN.
      e.emit("Where", List.of(positive, e.input(1), zero), List.of(e.output(0)), Map.of());
    }));
  }

  /** TF's ReluGrad takes (gradients, features): the reverse of this op's input order. */
  @Override public TfLowering tf() { return TfLowering.custom("ReluGrad"); }

  /** Linear in gy (same mask); zero almost everywhere in x, so x gets none. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> Arrays.asList(null, Ops.reluGrad(b, node.input(0), gys.get(0)));
  }
}
