package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;
import java.util.Map;

/**
 * y = max(a, b) elementwise (broadcasting). ONNX Max-8 (broadcasting) / Max-12 (adds integers) /
 * Max-13 with two inputs; TF Maximum.
 */
public final class Maximum extends Binary {
  // NOTE: Kiln does not define the result for NaN operands; the tests draw no NaNs, and back ends may differ.
  @Override public String summary() { return "y = max(a, b) (broadcasting)"; }

  @Override public OnnxLowering onnx() { return extremumForms("Max"); }

  /**
   * ONNX Max or Min: float-only at 8, every numeric type from 12. NOTE: ONNX Runtime has no 16-bit integer Max/Min
   * kernels, so i16 and u16 operands go through i32 (exact) and the result narrows back.
   */
  static OnnxLowering extremumForms(String type) {
    return Onnx.forms(Onnx.op(type, 8), Onnx.custom(type, 12, e -> widened(e, type)), Onnx.custom(type, 13, e -> widened(e, type)));
  }

  private static void widened(OnnxEmitter e, String type) {
    DType dt = e.node().input(0).type().dtype();
    if (dt != DType.I16 && dt != DType.U16) {
      e.emit(type, List.of(e.input(0), e.input(1)), List.of(e.output(0)), Map.of());
      return;
    }
    Map<String, Object> toI32 = Map.of("to", (long) DType.I32.onnxCode());
    String a = e.fresh("a_i32");
    String b = e.fresh("b_i32");
    String y = e.fresh("y_i32");
    e.emit("Cast", List.of(e.input(0)), List.of(a), toI32);
    e.emit("Cast", List.of(e.input(1)), List.of(b), toI32);
    e.emit(type, List.of(a, b), List.of(y), Map.of());
    e.emit("Cast", List.of(y), List.of(e.output(0)), Map.of("to", (long) dt.onnxCode()));
  }

  @Override public TfLowering tf() { return TfLowering.op("Maximum"); }

  /**
   * gy goes to the larger operand; where a == b it is split evenly, half to each (as PyTorch's
   * {@code torch.maximum} does), so the sum of both gradients is gy everywhere.
   */
  @Override public Vjp vjp() { return (b, node, gys) -> tieSplit(Grad.in(b), node.input(0), node.input(1), gys.get(0), true); }

  /** The masks of Maximum ({@code max}) or Minimum: gy to the winner, halves on ties. */
  static List<Value> tieSplit(Grad g, Value a, Value b, Value gy, boolean max) {
    Value tie = g.keep(g.equal(a, b), g.mul(gy, 0.5));
    Value aWins = max ? g.greater(a, b) : g.less(a, b);
    Value bWins = max ? g.less(a, b) : g.greater(a, b);
    return List.of(g.where(aWins, gy, tie), g.where(bWins, gy, tie));
  }
}
