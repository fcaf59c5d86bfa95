package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.util.Locale;

/**
 * Whether two engines' outputs for the same input agree, as {@code numpy.allclose} decides it: every element must
 * satisfy {@code |a - b| <= atol + rtol * |b|}. A fixed absolute bound alone fails correct exports whose outputs
 * are large (float32 sums of many products differ in the last bits, and those bits scale with the value), and
 * passes wrong ones whose outputs are tiny.
 *
 * @param rtol relative tolerance
 * @param atol absolute tolerance, for elements near zero
 */
public record OutputAgreement(double rtol, double atol) {
  /**
   * The defaults of {@code exportAndVerify}: rtol 1e-4 and atol 1e-4 times the largest reference magnitude (at
   * least 1e-4), so the bound follows the outputs' scale. NOTE: float32 round-off through a few dozen layers, on two
   * engines whose kernels sum in different orders (AVX2 against AVX-512 ones too), reaches about 2e-5 of the
   * largest output: a fine-tuned MobileNetV2's logits (up to ~4) differed by up to 6.4e-5 between TensorFlow capped
   * at AVX2 and ONNX Runtime's AVX-512 kernels, 3.9e-5 at logits up to ~8 on an AVX2 machine. A wrong export
   * differs by far more (a batch-norm epsilon of 1e-3 for 1e-5 moves outputs by ~5e-4 of their scale).
   */
  public static OutputAgreement defaults(double[] reference) {
    double scale = 1;
    for (double v : reference) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    return new OutputAgreement(1e-4, 1e-4 * scale);
  }

  public OutputAgreement {
    if (!(rtol >= 0) || !(atol >= 0)) throw new KilnException("tolerances must be >= 0, got rtol " + rtol + ", atol " + atol);
  }

  /**
   * The largest absolute difference of {@code actual} from {@code reference}.
   *
   * @throws KilnException naming the worst element (index, both values, its bound) when any element is out of
   *     bounds or the sizes differ; {@code what} says which engines were compared
   */
  public double check(double[] actual, double[] reference, String what) {
    if (actual.length != reference.length) {
      throw new KilnException(what + ": " + actual.length + " values against " + reference.length);
    }
    double maxAbs = 0;
    int worst = -1;
    double worstExcess = 0;
    for (int i = 0; i < actual.length; i++) {
      double d = Math.abs(actual[i] - reference[i]);
      if (Double.isNaN(d) && !(Double.isNaN(actual[i]) && Double.isNaN(reference[i]))) d = Double.POSITIVE_INFINITY;
      if (Double.isNaN(d)) continue;  // both NaN: the same answer
      maxAbs = Math.max(maxAbs, d);
      double excess = d - (atol + rtol * Math.abs(reference[i]));
      if (excess > worstExcess || (worst < 0 && excess > 0)) {
        worst = i;
        worstExcess = excess;
      }
    }
    if (worst >= 0) {
      throw new KilnException(String.format(Locale.ROOT,
          "%s: element %d is %.9g against %.9g, |difference| %.3g > atol %.3g + rtol %.3g * |reference|"
              + " (max |difference| %.3g); pass other tolerances to exportAndVerify if this is expected",
          what, worst, actual[worst], reference[worst], Math.abs(actual[worst] - reference[worst]), atol, rtol, maxAbs));
    }
    return maxAbs;
  }
}
