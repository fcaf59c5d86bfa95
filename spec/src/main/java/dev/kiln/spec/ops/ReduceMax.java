package dev.kiln.spec.ops;

import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.Reduction;
import dev.kiln.spec.op.TfLowering;

/**
 * Maximum over {@code axes} (all when empty), keeping them as size 1 when {@code keepdims}. ONNX
 * ReduceMax-11 (axes attribute, negative axes allowed; -12/-13 only add types) and ReduceMax-18 (axes input).
 */
public final class ReduceMax extends Reduction {
  @Override public String summary() { return "y = max of x over axes (all when empty)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(axesAttribute("ReduceMax", 11), axesInput("ReduceMax", 18));
  }

  @Override public TfLowering tf() { return tfReduce("Max"); }
}
