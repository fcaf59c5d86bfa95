package dev.kiln.runtime.train;

import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;

/**
 * A loss built from IR ops: given the model's prediction and the target, returns the loss value
 * (a scalar for reductions mean/sum, per-example for none).
 */
@FunctionalInterface
public interface Loss {
  Value build(GraphBuilder b, Value prediction, Value target);
}
