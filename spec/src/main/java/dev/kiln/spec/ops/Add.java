package dev.kiln.spec.ops;

import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.TfLowering;

/** y = a + b with NumPy broadcasting. ONNX Add-7 / Add-13 / Add-14. */
public final class Add extends Binary {
  @Override public String summary() { return "y = a + b (broadcasting)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Add", 7).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("AddV2"); }

  /** Constants through {@link dev.kiln.spec.op.HostMath}; shape values entry by entry (3*batch + batch = 4*batch). */
  @Override public Folder folder() { return Folding.binary(Double::sum, Long::sum, SymInt::plus); }

  /** da = gy, db = gy (the autodiff driver sums broadcast axes back). */
  @Override public dev.kiln.spec.op.Vjp vjp() { return (b, node, gys) -> java.util.List.of(gys.get(0), gys.get(0)); }
}
