package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * A layer without parameters (pooling, dropout, fixed position encodings), applied without a name:
 * {@code x.apply(MaxPool2d.of(2))} or {@code m.apply(MaxPool2d.of(2), x)}. The output has the input's dtype.
 */
public interface Transform {
  /** Builds this transform's ops on {@code x}; returns the output. */
  <T> Tensor<T> apply(Tensor<T> x);
}
