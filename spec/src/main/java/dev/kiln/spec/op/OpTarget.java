package dev.kiln.spec.op;

import dev.kiln.spec.ir.Attrs;
import java.util.List;

/**
 * Where the op facade ({@code dev.kiln.spec.ops.Ops}) applies ops: a {@code GraphBuilder} (values are IR
 * {@code Value}s), or the ONNX importer's context (values are IR values, host constants or symbolic shape
 * values, folded where they can be). {@code V} is the kind of value the target takes and returns.
 */
@FunctionalInterface
public interface OpTarget<V> {
  /**
   * Applies {@code op} to {@code inputs} (a {@code null} is an absent optional input) with {@code attrs}
   * (checked against the op's signature, defaults filled) and returns one value per output.
   */
  List<V> apply(Op op, List<V> inputs, Attrs attrs);
}
