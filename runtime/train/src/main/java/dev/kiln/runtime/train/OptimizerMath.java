package dev.kiln.runtime.train;

import dev.kiln.spec.DType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;

/** Pieces shared by the optimizers' update rules. */
final class OptimizerMath {
  private OptimizerMath() {}

  /** g + wd p (coupled L2 weight decay), or g when wd = 0. */
  static Value decayed(GraphBuilder b, Value g, Value p, double wd) {
    return wd == 0 ? g : Ir.add(b, g, Ir.scale(b, p, wd));
  }

  /** 1 on step 1 and 0 on later steps (step is 1-based and whole): relu(2 - step). */
  static Value firstStep(GraphBuilder b, Value step) { return Ir.relu(b, Ir.rsub(b, 2, step)); }

  /**
   * Whether an update of {@code param} may be offered as a {@link FusedUpdate}: f32 or f64 (the dtypes whose
   * fused kernels, e.g. TensorFlow's, compute in the parameter's own precision, as the IR rule does).
   */
  static boolean fusable(Value param) {
    DType d = param.type().dtype();
    return d == DType.F32 || d == DType.F64;
  }

  /** A constant of {@code like}'s dtype raised to a graph value: k^e. */
  static Value powOf(GraphBuilder b, double k, Value e) { return Ir.pow(b, Ir.c(b, e, k), e); }
}
