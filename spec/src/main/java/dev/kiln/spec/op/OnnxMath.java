package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.List;
import java.util.Map;

/**
 * Terse ONNX arithmetic for lowerings spelled in primitives: each call emits one node into a fresh name
 * (or, through {@link #out}, into the IR node's output). Scalars take the dtype of the node's input 0.
 */
public final class OnnxMath {
  private final OnnxEmitter e;
  private final DType dtype;

  private OnnxMath(OnnxEmitter e) {
    this.e = e;
    this.dtype = e.node().input(0).type().dtype();
  }

  /** Helpers emitting into {@code e}. */
  public static OnnxMath in(OnnxEmitter e) { return new OnnxMath(e); }

  /** A scalar constant of input 0's dtype. */
  public String scalar(double v) { return e.constant(HostTensor.scalar(dtype, v), "c"); }

  /** One node of {@code opType} on {@code inputs}, into a fresh value. */
  public String op(String opType, String... inputs) {
    String y = e.fresh(opType.toLowerCase());
    e.emit(opType, List.of(inputs), List.of(y), Map.of());
    return y;
  }

  /** An Identity into the IR node's output 0, ending the lowering. */
  public void out(String value) { e.emit("Identity", List.of(value), List.of(e.output(0)), Map.of()); }
}
