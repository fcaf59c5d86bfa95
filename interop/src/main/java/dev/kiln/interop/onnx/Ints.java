package dev.kiln.interop.onnx;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;

/** Integer host tensors from longs without a detour through doubles (which would round i64 values above 2^53). */
final class Ints {
  private Ints() {}

  /** {@code v} as an integer tensor of {@code dtype}, narrowing (wrapping) as a C cast does. */
  static HostTensor of(DType dtype, long[] v, long... shape) {
    if (dtype == DType.I64) return HostTensor.ofLongs(v, shape);
    if (dtype == DType.U64) return HostTensor.ofBuffer(DType.U64, shape, HostTensor.ofLongs(v, shape).buffer());
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i]; // values of narrower types are exact in a double
    return HostTensor.fromDoubles(dtype, d, shape);
  }
}
