package dev.kiln.dsl.init;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import java.util.SplittableRandom;

/**
 * Makes a parameter's initial value from its type, its fans and a seeded random stream. The
 * description ({@code glorot_uniform}) is kept as the parameter's provenance.
 */
public interface Initializer {
  /** Creates the initial value. {@code fanIn}/{@code fanOut} follow PyTorch's definition for the layer. */
  HostTensor create(TensorType type, long fanIn, long fanOut, SplittableRandom rng);

  /** Provenance text, e.g. {@code he_normal}. */
  String describe();
}
