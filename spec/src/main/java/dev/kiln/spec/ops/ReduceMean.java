package dev.kiln.spec.ops;

import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.Reduction;
import dev.kiln.spec.op.TfLowering;

/**
 * Mean over {@code axes} (all when empty), keeping them as size 1 when {@code keepdims}. ONNX
 * ReduceMean-11 (axes attribute, negative axes allowed; -13 only adds bfloat16) and ReduceMean-18 (axes input).
 */
public final class ReduceMean extends Reduction {
  @Override public String summary() { return "y = mean of x over axes (all when empty)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(axesAttribute("ReduceMean", 11), axesInput("ReduceMean", 18));
  }

  @Override public TfLowering tf() { return tfReduce("Mean"); }
}
