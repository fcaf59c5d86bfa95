package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import java.util.Arrays;

/** Checks a dataset against the model before any step runs, so mistakes surface as clear errors. */
final class DataChecks {
  private DataChecks() {}

  /** Labels must match the label input. */
  static void labels(String what, Dataset d, TensorType labelType) {
    check(what + " labels", d.labels(), "the loss's label input", labelType);
  }

  /** Integer class labels [n] must lie in 0..classes-1 when the model output is [batch, classes]. */
  static void labelRange(String what, Dataset d, long classes) {
    if (classes > 0 && !d.labels().dtype().isFloating() && d.labels().rank() == 1) {
      HostTensor l = d.labels();
      for (int i = 0; i < l.size(); i++) {
        long v = l.getLong(i);
        if (v < 0 || v >= classes) {
          throw new KilnException(what + " label " + v + " at example " + i + " is out of range: the model output has "
              + classes + " classes (labels 0.." + (classes - 1) + ")");
        }
      }
    }
  }

  /** {@code t} must match {@code want} (dtype, every static dim after the batch axis); {@code target} names it. */
  static void check(String what, HostTensor t, String target, TensorType want) {
    if (t.dtype() != want.dtype()) {
      throw new KilnException(what + " are " + t.dtype() + " but " + target + " is " + want + "; convert them first");
    }
    long[] s = t.shape();
    boolean ok = s.length == want.rank();
    for (int i = 1; ok && i < s.length; i++) {
      Dim d = want.shape().dim(i);
      ok = !d.isStatic() || d.size() == s[i];
    }
    if (!ok) {
      throw new KilnException(what + " have shape " + Arrays.toString(s) + " but " + target + " is " + want
          + " (axis 0 is the batch)");
    }
  }
}
