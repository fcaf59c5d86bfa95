package dev.kiln.runtime.tf;

import dev.kiln.spec.HostTensor;
import java.util.SplittableRandom;

/** Seeded test inputs for the TF suites. */
final class TestTensors {
  private TestTensors() {}

  /** An f32 tensor of {@code shape} with elements uniform in [-1, 1) from {@code seed}. */
  static HostTensor uniform(long[] shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[(int) HostTensor.count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
    return HostTensor.ofFloats(v, shape);
  }
}
