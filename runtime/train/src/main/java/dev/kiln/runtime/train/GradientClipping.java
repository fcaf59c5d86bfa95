package dev.kiln.runtime.train;

import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** A rewrite of the gradients in the train-step graph, applied by the trainer before the updates. */
@FunctionalInterface
public interface GradientClipping {
  /** Returns the clipped gradients, in the same order. */
  List<Value> apply(GraphBuilder b, List<Value> grads);

  /** Each element clamped to [-v, v] (PyTorch {@code clip_grad_value_}, TF {@code clip_by_value}). */
  static GradientClipping byValue(double v) {
    if (!(v > 0)) throw new IllegalArgumentException("clip value must be > 0, got " + v);
    return (b, grads) -> {
      List<Value> out = new ArrayList<>();
      // clamp(g, -v, v) = -v + relu(g + v) - relu(g - v)
      for (Value g : grads) {
        out.add(Ir.sub(b, Ir.plus(b, Ir.relu(b, Ir.plus(b, g, v)), -v), Ir.relu(b, Ir.plus(b, g, -v))));
      }
      return out;
    };
  }

  /**
   * All gradients scaled by n / max(global norm, n), the global norm being the L2 norm of all their
   * elements together (TF {@code clip_by_global_norm}; PyTorch's {@code clip_grad_norm_} differs only by
   * a 1e-6 in the denominator). Gradients whose global norm is at most n pass unchanged.
   */
  static GradientClipping byGlobalNorm(double n) {
    if (!(n > 0)) throw new IllegalArgumentException("clip norm must be > 0, got " + n);
    return (b, grads) -> {
      Value total = null;
      for (Value g : grads) {
        Value s = Ir.sum(b, Ir.square(b, g), false);
        total = total == null ? s : Ir.add(b, total, s);
      }
      if (total == null) return List.of();
      Value norm = Ir.sqrt(b, total);
      Value cap = Ir.c(b, norm, n);
      Value factor = Ir.div(b, cap, Ir.max(b, norm, cap));
      List<Value> out = new ArrayList<>();
      for (Value g : grads) out.add(Ir.mul(b, g, Ir.cast(b, factor, g.type().dtype())));
      return out;
    };
  }
}
