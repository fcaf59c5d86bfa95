package dev.kiln.runtime.train;

import dev.kiln.spec.ir.Value;

/** How a loss reduces its per-element (or per-example) values, as in PyTorch's {@code reduction}. */
public enum Reduction {
  /** No reduction: the per-element (or per-example) losses. */
  NONE,
  /** Sum of all values. */
  SUM,
  /** Mean of all values (weighted losses divide by the sum of the targets' weights, as PyTorch does). */
  MEAN,
  /** Sum divided by the batch size (axis 0): KL divergence's mathematically correct mean; klDiv only. */
  BATCHMEAN;

  /** Applies this reduction to elementwise losses {@code v}. */
  Value apply(dev.kiln.spec.ir.GraphBuilder b, Value v) {
    return switch (this) {
      case NONE -> v;
      case SUM -> Ir.sum(b, v, false);
      case MEAN -> Ir.mean(b, v, false);
      case BATCHMEAN -> {
        if (v.type().rank() == 0) throw new dev.kiln.spec.KilnException("batchmean needs a batch axis, got a scalar");
        long[] rest = new long[v.type().rank() - 1];
        for (int i = 0; i < rest.length; i++) rest[i] = i + 1;
        Value perExample = rest.length == 0 ? v : Ir.sum(b, v, false, rest);
        yield Ir.mean(b, perExample, false);
      }
    };
  }
}
