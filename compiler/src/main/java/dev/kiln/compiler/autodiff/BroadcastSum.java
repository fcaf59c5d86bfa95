package dev.kiln.compiler.autodiff;

import dev.kiln.spec.Dim;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums a gradient back to the shape of the input it belongs to, undoing NumPy broadcasting: leading
 * axes the input lacks are summed away, and axes where the input has size 1 but the gradient does not
 * are summed with keepdims. Done once here, so gradient rules never handle broadcasting.
 */
final class BroadcastSum {
  private BroadcastSum() {}

  static Value to(GraphBuilder b, Value g, TensorType input) {
    Shape gs = g.type().shape();
    Shape xs = input.shape();
    if (g.type().dtype() != input.dtype()) {
      throw new KilnException("autodiff: gradient " + g.type() + " does not match its input's dtype " + input);
    }
    if (gs.equals(xs)) return g;
    int lead = gs.rank() - xs.rank();
    if (lead < 0) throw new KilnException("autodiff: gradient " + g.type() + " has lower rank than its input " + input);
    Value out = g;
    if (lead > 0) {
      long[] axes = new long[lead];
      for (int i = 0; i < lead; i++) axes[i] = i;
      out = Ops.reduceSum(b, out, axes, false);
    }
    List<Long> ones = new ArrayList<>();
    for (int i = 0; i < xs.rank(); i++) {
      Dim d = xs.dim(i);
      if (d.is(1) && !gs.dim(i + lead).is(1)) ones.add((long) i);
    }
    if (!ones.isEmpty()) {
      out = Ops.reduceSum(b, out, ones.stream().mapToLong(Long::longValue).toArray(), true);
    }
    return out;
  }
}
