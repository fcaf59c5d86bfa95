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

/** y = a - b with NumPy broadcasting. ONNX Sub-7 / Sub-13 / Sub-14 (one form; later opsets only add types). */
public final class Sub extends Binary {
  @Override public String summary() { return "y = a - b (broadcasting)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Sub", 7).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Sub"); }

  /** Constants through {@link dev.kiln.spec.op.HostMath}; shape values entry by entry (a symbol cancels itself). */
  @Override public Folder folder() { return Folding.binary((a, b) -> a - b, (a, b) -> a - b, SymInt::minus); }

  /** da = gy, db = -gy (the driver sums broadcast axes back). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> java.util.List.of(gys.get(0), Grad.in(b).neg(gys.get(0)));
  }
}
