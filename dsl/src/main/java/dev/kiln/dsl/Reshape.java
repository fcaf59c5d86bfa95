package dev.kiln.dsl;

import dev.kiln.spec.Dim;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.SourceLocation;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.ops.Ops;

/** {@link Tensor#reshape}'s reading of its dims (numbers, {@link Dim}s, symbol names) into a Reshape op. */
final class Reshape {
  private Reshape() {}

  /** Reshapes {@code x}; a symbol that stands for the inferred dim is checked against the result. */
  static <T> Tensor<T> of(Tensor<T> x, Object[] dims) {
    long[] spec = new long[dims.length];
    Dim[] wanted = new Dim[dims.length];
    boolean inferred = false;
    for (Object o : dims) if (o instanceof Number n && n.longValue() == -1) inferred = true;
    for (int i = 0; i < dims.length; i++) {
      Object o = dims[i] instanceof String s ? Dim.symbolic(s) : dims[i];
      if (o instanceof Number n) {
        spec[i] = n.longValue();
      } else if (o instanceof Dim d && d.isStatic()) {
        spec[i] = d.size();
      } else if (o instanceof Dim d && i < x.rank() && d.equals(x.dim(i)) && !d.isUnknown()) {
        spec[i] = 0;
      } else if (o instanceof Dim d && !inferred) {
        spec[i] = -1;
        inferred = true;
        wanted[i] = d;
      } else {
        throw new ShapeException("reshape of " + x.type() + ": dim " + i + " (" + o + ") must be a number, a"
            + " Dim, or a symbol; only one may be inferred");
      }
    }
    Tensor<T> y = x.builder().tensor(Ops.reshape(x.builder().graph(), x.value(), spec));
    for (int i = 0; i < wanted.length; i++) {
      if (wanted[i] != null && !y.dim(i).equals(wanted[i])) {
        throw x.builder().graph().error(OpRegistry.get(dev.kiln.spec.ops.Reshape.class), "axis " + i + " was requested as " + wanted[i] + " but the"
            + " reshape gives " + y.dim(i) + " (output " + y.type() + ")", SourceLocation.capture());
      }
    }
    return y;
  }
}
