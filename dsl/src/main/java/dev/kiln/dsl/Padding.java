package dev.kiln.dsl;

import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * How a convolution or pooling layer pads its input: {@link #VALID} (none), {@link #SAME} (output size
 * ceil(input / stride), the extra cell at the end as TF and ONNX SAME_UPPER do), or explicit sizes.
 * The IR only holds explicit pads; SAME is computed here from the input's spatial sizes.
 */
public final class Padding {
  /** No padding. */
  public static final Padding VALID = new Padding("VALID", new long[0]);
  /** Output size ceil(n / stride); padding split evenly, the odd cell at the end. */
  public static final Padding SAME = new Padding("SAME", null);

  private final String name;
  private final long @Nullable [] explicit;

  private Padding(String name, long @Nullable [] explicit) {
    this.name = name;
    this.explicit = explicit;
  }

  /**
   * Explicit padding: one value for every side, one per spatial axis (both sides), or ONNX order
   * (all begins, then all ends).
   */
  public static Padding explicit(long... pads) {
    for (long p : pads) if (p < 0) throw new ShapeException("padding must be >= 0, got " + Arrays.toString(pads));
    return new Padding("explicit" + Arrays.toString(pads), pads.clone());
  }

  /**
   * The ONNX-order pads (all begins, then all ends) for a window over the spatial axes of an input shaped {@code x}
   * (axes 2..), as the layer classes compute them.
   * NOTE: SAME with stride 1 pads (k-1)*d in total whatever the size, so it works on dynamic axes too.
   */
  public long[] pads(Shape x, long[] kernel, long[] strides, long[] dilations) {
    int n = kernel.length;
    long[] p = new long[2 * n];
    if (this == VALID) return p;
    if (this == SAME) {
      for (int i = 0; i < n; i++) {
        long span = dilations[i] * (kernel[i] - 1) + 1;
        long total;
        if (strides[i] == 1) {
          total = span - 1;
        } else {
          Dim d = x.dim(i + 2);
          if (!d.isStatic()) {
            throw new ShapeException("SAME padding with stride " + strides[i] + " needs a static spatial axis " + (i + 2)
                + ", got input " + x + " (use explicit padding)");
          }
          long out = (d.size() + strides[i] - 1) / strides[i];
          total = Math.max(0, (out - 1) * strides[i] + span - d.size());
        }
        p[i] = total / 2;
        p[i + n] = total - total / 2;
      }
      return p;
    }
    if (explicit.length == 1) {
      Arrays.fill(p, explicit[0]);
    } else if (explicit.length == n) {
      for (int i = 0; i < n; i++) p[i] = p[i + n] = explicit[i];
    } else if (explicit.length == 2 * n) {
      p = explicit.clone();
    } else {
      throw new ShapeException("padding " + Arrays.toString(explicit) + " must have 1, " + n + " or " + 2 * n
          + " entries for " + n + " spatial axes");
    }
    return p;
  }

  /** Paddings are equal when they pad the same way (VALID, SAME, or the same explicit sizes). */
  @Override public boolean equals(Object other) { return other instanceof Padding p && p.name.equals(name); }

  @Override public int hashCode() { return name.hashCode(); }

  @Override public String toString() { return name; }
}
