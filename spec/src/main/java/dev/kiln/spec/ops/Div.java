package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/**
 * y = a / b with NumPy broadcasting. ONNX Div-7 / Div-13 / Div-14 (one form; later opsets only add types).
 * Integer division truncates toward zero, as ONNX (and C) define it.
 */
public final class Div extends Binary {
  @Override public String summary() { return "y = a / b (broadcasting; integers truncate toward zero)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Div", 7).lowering(); }

  /**
   * NOTE: TF's {@code Div} floors for integers (Python semantics) while ONNX truncates, so integers
   * lower to {@code TruncateDiv}; floats to {@code RealDiv}.
   */
  @Override public TfLowering tf() { return TfLowering.custom("RealDiv/TruncateDiv"); }

  /**
   * Constants through {@link dev.kiln.spec.op.HostMath} (integers truncating); shape values entry by entry,
   * {@code (4*batch) / 4 = batch} exactly and anything not divisible unknown.
   * NOTE: an integer division by zero, or of the smallest value by -1, fails or overflows at run time (x86
   * traps): the fold is declined rather than given a value.
   */
  @Override public Folder folder() {
    return Folding.binary((a, b) -> a / b, (a, b) -> {
      if (b == 0 || b == -1 && (a == Long.MIN_VALUE || a == Integer.MIN_VALUE)) throw new ArithmeticException("integer division overflow");
      return a / b;
    }, SymInt::div);
  }

  /** da = gy / b, db = -gy * a / b^2, written -(da * y) with y = a / b; floats only (integers are never on a gradient path). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value da = g.div(gys.get(0), node.input(1));
      return java.util.List.of(da, g.neg(g.mul(da, node.output())));
    };
  }
}
