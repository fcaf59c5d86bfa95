package dev.kiln.samples.conformance;

import dev.kiln.spec.HostTensor;
import java.util.Arrays;

/** Compares a result with an expected tensor as ONNX's test runner does: |got - want| <= atol + rtol * |want|. */
final class Compare {
  private Compare() {}

  /** Null when close enough, else what differs. NaN matches NaN; integers and booleans must be equal. */
  static String problem(HostTensor want, HostTensor got, double rtol, double atol) {
    if (got == null) return "no such output";
    if (want.dtype() != got.dtype()) return "dtype " + got.dtype() + ", expected " + want.dtype();
    if (!Arrays.equals(want.shape(), got.shape())) {
      return "shape " + Arrays.toString(got.shape()) + ", expected " + Arrays.toString(want.shape());
    }
    boolean exact = !want.dtype().isFloating();
    for (int i = 0; i < want.size(); i++) {
      double w = want.getDouble(i);
      double g = got.getDouble(i);
      if (Double.isNaN(w) && Double.isNaN(g)) continue;
      boolean ok = exact ? want.getLong(i) == got.getLong(i)
          : (w == g) || Math.abs(g - w) <= atol + rtol * Math.abs(w);
      if (!ok) return "element " + i + " is " + g + ", expected " + w;
    }
    return null;
  }
}
