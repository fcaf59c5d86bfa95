package dev.kiln.runtime.tf;

import dev.kiln.runtime.data.Rows;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Tensor;

/**
 * The TF tensors a train step feeds, kept from one step to the next: each step overwrites the bytes of the
 * tensor it fed last time under the same input name (when dtype and shape are the same) instead of allocating,
 * registering and freeing a new native tensor per input per step. Safe because {@code Session.run} holds no
 * reference to a fed tensor once it returns (TF's executor copies or refcounts inputs for the run only, and a
 * tensor the caller still holds is never forwarded in place), so the bytes written next step are not seen by
 * any earlier run. Not thread-safe, as the session is not. {@link #close} frees them.
 * {@code -Dkiln.tf.reuseFeeds=false} allocates a new tensor per input per step instead (as before), so the
 * lever can be measured on and off in one build ({@code kiln bench --profile} prints the feeds' time).
 */
final class TfFeedTensors implements AutoCloseable {
  static final boolean REUSE = !"false".equals(System.getProperty("kiln.tf.reuseFeeds"));

  private record Slot(Tensor tensor, DType dtype, long[] shape) {
    boolean fits(DType d, long[] s) { return dtype == d && Arrays.equals(shape, s); }
  }

  private final Map<String, Slot> slots = new HashMap<>();

  /** A tensor named {@code name} now holding {@code t}'s bytes. */
  Tensor of(String name, HostTensor t) {
    Slot slot = slots.get(name);
    if (!REUSE || slot == null || !slot.fits(t.dtype(), t.shape())) {
      slot = replace(name, new Slot(TfTensors.toTf(t), t.dtype(), t.shape()));
      return slot.tensor();
    }
    TfTensors.overwrite(slot.tensor(), t);
    return slot.tensor();
  }

  /** A tensor named {@code name} now holding {@code rows}, gathered straight into it. */
  Tensor of(String name, Rows rows) {
    Slot slot = slots.get(name);
    if (!REUSE || slot == null || !slot.fits(rows.dtype(), rows.shape())) {
      slot = replace(name, new Slot(TfTensors.toTf(rows), rows.dtype(), rows.shape()));
      return slot.tensor();
    }
    TfTensors.overwrite(slot.tensor(), rows);
    return slot.tensor();
  }

  private Slot replace(String name, Slot fresh) {
    Slot old = slots.put(name, fresh);
    if (old != null) old.tensor().close();
    return fresh;
  }

  @Override public void close() {
    slots.values().forEach(s -> s.tensor().close());
    slots.clear();
  }
}
