package dev.kiln.runtime.tf;

import dev.kiln.spec.HostTensor;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/**
 * Gives a lowered graph's variables their initial values: runs each {@code AssignVariableOp} of
 * {@link TfVariables} with its placeholder fed the parameter's initial value, a batch of assignments per
 * {@code Session.run}.
 * NOTE: batches hold at most {@link #BATCH_BYTES} of fed tensors (or one larger tensor), so the native copies
 * in flight stay small beside the variables themselves: a model's weights are never all in memory twice on
 * TF's side, and a model of many small parameters still takes few runs.
 */
public final class TfInitializer {
  /** Fed bytes per {@code Session.run}, at most (a single larger parameter gets a run of its own). */
  static final long BATCH_BYTES = 64L << 20;

  /** One initialising assignment: the op to run, the placeholder it reads and the value to feed it. */
  public record Feed(GraphOperation assign, Output<?> placeholder, HostTensor value) {}

  private TfInitializer() {}

  /** Runs every assignment of {@code feeds} in {@code session}, feeding each its value. */
  public static void run(Session session, List<Feed> feeds) {
    List<Feed> batch = new ArrayList<>();
    long bytes = 0;
    for (Feed f : feeds) {
      long size = f.value().size() * f.value().dtype().byteSize();
      if (!batch.isEmpty() && bytes + size > BATCH_BYTES) {
        runBatch(session, batch);
        batch.clear();
        bytes = 0;
      }
      batch.add(f);
      bytes += size;
    }
    if (!batch.isEmpty()) runBatch(session, batch);
  }

  private static void runBatch(Session session, List<Feed> batch) {
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      for (Feed f : batch) {
        Tensor t = TfTensors.toTf(f.value());
        fed.add(t);
        r.feed(f.placeholder(), t).addTarget(f.assign());
      }
      r.run().close();
    } finally {
      fed.forEach(Tensor::close);
    }
  }
}
