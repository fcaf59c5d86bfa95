package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = a * b with NumPy broadcasting. ONNX Mul-7 / Mul-13 / Mul-14 (one form; later opsets only add types). */
public final class Mul extends Binary {
  @Override public String summary() { return "y = a * b (broadcasting)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Mul", 7).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Mul"); }

  /** Constants through {@link dev.kiln.spec.op.HostMath}; shape values entry by entry (batch * 4 = 4*batch). */
  @Override public Folder folder() { return Folding.binary((a, b) -> a * b, (a, b) -> a * b, SymInt::times); }

  /** da = gy * b, db = gy * a. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      return java.util.List.of(g.mul(gys.get(0), node.input(1)), g.mul(gys.get(0), node.input(0)));
    };
  }
}
