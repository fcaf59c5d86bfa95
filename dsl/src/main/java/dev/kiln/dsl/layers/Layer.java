package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * A layer with parameters, applied under a name: its parameters are {@code name.weight}, {@code name.bias}, ... in
 * the current block, as PyTorch names a module's. The output has the input's dtype. Apply one with
 * {@code m.apply("fc", Linear.of(10), x)} or {@code x.apply("fc", Linear.of(10))}; the layer object itself is
 * immutable options and can be applied any number of times (under different names).
 */
public interface Layer {
  /** Builds this layer's parameters {@code name.*} and its ops on {@code x}; returns the output. */
  <T> Tensor<T> apply(String name, Tensor<T> x);
}
