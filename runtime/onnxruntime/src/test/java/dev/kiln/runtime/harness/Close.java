package dev.kiln.runtime.harness;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.Arrays;

/** Tolerance comparison of tensors: |actual - expected| <= atol + rtol * |expected|, NaN equals NaN. */
public final class Close {
  private Close() {}

  /** Null when close; otherwise a message naming the first differing element. */
  public static String compare(HostTensor expected, HostTensor actual, double rtol, double atol) {
    if (expected.dtype() != actual.dtype()) return "dtype " + actual.dtype() + ", expected " + expected.dtype();
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return "shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
    }
    boolean exact = !expected.dtype().isFloating();
    double worst = 0;
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.getDouble(i);
      double a = actual.getDouble(i);
      if (exact && expected.dtype() == DType.I64 ? expected.getLong(i) != actual.getLong(i) : false) {
        return "element " + i + ": " + actual.getLong(i) + ", expected " + expected.getLong(i);
      }
      if (Double.isNaN(e) && Double.isNaN(a)) continue;
      if (e == a) continue;
      double diff = Math.abs(a - e);
      if (!(diff <= atol + rtol * Math.abs(e))) {
        return "element " + i + ": " + a + ", expected " + e + " (diff " + diff + ")";
      }
      worst = Math.max(worst, diff);
    }
    return null;
  }
}
