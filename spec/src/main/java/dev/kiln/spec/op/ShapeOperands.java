package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import java.util.Collections;

/**
 * Helpers for ops whose shape, axes, repeats or pads arrive as a run-time int64 tensor (DynamicReshape,
 * Expand, Tile...): the operand's length must be static so that the output's rank is known, while its
 * values, and so the output's dims, are known only when the graph runs.
 */
public final class ShapeOperands {
  private ShapeOperands() {}

  /** The static length of a 1-D int64 operand {@code name}; a ShapeException naming it otherwise. */
  public static int length(TensorType t, String name) {
    if (t.dtype() != DType.I64) throw new ShapeException("input " + name + " must be i64, got " + t.dtype());
    if (t.rank() != 1) throw new ShapeException("input " + name + " must be 1-D, got " + t.shape());
    Dim d = t.shape().dim(0);
    if (!d.isStatic()) throw new ShapeException("input " + name + " must have a static length (it fixes the output's rank), got " + t.shape());
    return Math.toIntExact(d.size());
  }

  /** A shape of {@code rank} unknown dims. */
  public static Shape unknown(int rank) { return Shape.of(Collections.nCopies(rank, Dim.unknown())); }
}
