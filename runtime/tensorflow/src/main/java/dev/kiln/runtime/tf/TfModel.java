package dev.kiln.runtime.tf;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/**
 * An IR graph lowered to TensorFlow and ready to run: holds the TF graph and session, initialises the
 * parameters' variables once, and runs on named {@link HostTensor}s. A wrong input name, dtype or
 * shape is refused with a message listing what the model expects. Closing frees every native resource.
 */
public final class TfModel implements AutoCloseable {
  static {
    OneDnn.configure();  // before TensorFlow's native library loads
  }

  private final Graph ir;
  private final TfLowerer.Lowered lowered;
  private final Session session;
  private boolean closed;

  private TfModel(Graph ir, TfLowerer.Lowered lowered, Session session) {
    this.ir = ir;
    this.lowered = lowered;
    this.session = session;
  }

  /** Lowers {@code ir}, opens a session and assigns every parameter its initial value. */
  public static TfModel load(Graph ir) {
    TfLowerer.Lowered l = TfLowerer.lower(ir);
    Session s = null;
    try {
      s = TfSessions.open(l.graph());
      TfInitializer.run(s, l.initFeeds());
      return new TfModel(ir, l, s);
    } catch (RuntimeException e) {
      if (s != null) s.close();
      l.graph().close();
      throw e instanceof KilnException ? e : new KilnException("TensorFlow cannot initialise graph " + ir.name() + ": "
          + e.getMessage(), e);
    }
  }

  /** The IR graph this model runs. */
  public Graph graph() { return ir; }

  /** The lowered TF graph, placeholders and variables (for trainers that extend the graph). */
  public TfLowerer.Lowered lowered() { return lowered; }

  /** The session (owned by this model). */
  public Session session() { return session; }

  /** Runs the graph on named inputs; returns every graph output by name, in the graph's order. */
  public Map<String, HostTensor> run(Map<String, HostTensor> feed) {
    if (closed) throw new KilnException("TF model " + ir.name() + " is closed");
    checkFeed(feed);
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      for (Value v : ir.inputs()) {
        Tensor t = TfTensors.toTf(feed.get(v.name()));
        fed.add(t);
        r.feed(lowered.placeholders().get(v.name()), t);
      }
      for (var o : lowered.outputs()) r.fetch(o);
      try (Result res = r.run()) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < ir.outputs().size(); i++) out.put(ir.outputs().get(i).name(), TfTensors.fromTf(res.get(i), ir.outputs().get(i).type().dtype()));
        return out;
      }
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KilnException("TensorFlow failed to run graph " + ir.name() + ": " + firstLine(e.getMessage()), e);
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  private void checkFeed(Map<String, HostTensor> feed) {
    List<String> expects = ir.inputs().stream().map(Value::toString).toList();
    for (String name : feed.keySet()) {
      if (ir.inputs().stream().noneMatch(v -> v.name().equals(name))) {
        throw new KilnException("the model has no input '" + name + "'; it expects " + expects);
      }
    }
    for (Value v : ir.inputs()) {
      HostTensor t = feed.get(v.name());
      TensorType want = v.type();
      if (t == null) throw new KilnException("missing input '" + v.name() + "'; the model expects " + expects);
      if (t.dtype() != want.dtype()) {
        throw new KilnException("input '" + v.name() + "' must be " + want.dtype() + ", got " + t.dtype() + "; the model expects " + expects);
      }
      long[] shape = t.shape();
      boolean ok = shape.length == want.rank();
      for (int i = 0; ok && i < shape.length; i++) ok = !want.shape().dim(i).isStatic() || want.shape().dim(i).size() == shape[i];
      if (!ok) {
        throw new KilnException("input '" + v.name() + "' has shape " + Arrays.toString(shape) + " but the model expects "
            + want.shape() + "; inputs: " + expects);
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "(no message)";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Closes the session and the TF graph. */
  @Override public void close() {
    if (closed) return;
    closed = true;
    try {
      session.close();
    } finally {
      lowered.graph().close();
    }
  }
}
