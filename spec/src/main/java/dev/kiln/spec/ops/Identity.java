package dev.kiln.spec.ops;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/** y = x. Used to give a value a second name (graph outputs). ONNX Identity-1 (opset 1+). */
public final class Identity extends Op {
  @Override public String summary() { return "y = x"; }

  @Override public Signature signature() { return Signature.inputs("x"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) { return List.of(in.get(0)); }

  @Override public OnnxLowering onnx() { return Onnx.op("Identity", 1).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Identity"); }

  /** Whatever is known of x: a constant, a shape value or a fill. */
  @Override public Folder folder() { return (in, attrs) -> in.get(0).isRunTime() ? null : List.of(in.get(0)); }

  /** dx = gy. */
  @Override public dev.kiln.spec.op.Vjp vjp() { return (b, node, gys) -> List.of(gys.get(0)); }
}
