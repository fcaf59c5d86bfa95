package dev.kiln.runtime.tf;

import dev.kiln.runtime.data.Rows;
import dev.kiln.runtime.train.FusedUpdate;
import dev.kiln.runtime.train.StartupTrace;
import dev.kiln.runtime.train.TrainSession;
import dev.kiln.runtime.train.TrainStep;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/**
 * The TF back end's {@link TrainSession}: a train-step graph and an evaluation graph lowered into one TF graph
 * and one session, sharing their variables (parameters and optimizer slots): {@link #step} runs the train step
 * (reads, then {@code AssignVariableOp}s or fused kernels) in one {@code Session.run} fetching only the loss;
 * {@link #evaluate} runs the evaluation graph, which has no assignments. Variables can be read back and
 * overwritten (for checkpoints and early stopping's best weights) through one placeholder +
 * {@code AssignVariableOp} each.
 */
public final class TfTrainSession implements TrainSession {
  static {
    OneDnn.configure();  // before TensorFlow's native library loads
  }

  private final Graph trainIr;
  private final Graph evalIr;
  private final TfLowerer.Lowered train;
  private final TfLowerer.Lowered eval;
  private Session session;
  private final Map<String, DType> varTypes = new LinkedHashMap<>();
  private final Map<String, Output<?>> setValues = new LinkedHashMap<>();
  private final Map<String, GraphOperation> setOps = new LinkedHashMap<>();
  private boolean closed;
  private final TfFeedTensors feedTensors = new TfFeedTensors();
  /** The evaluation graph's own fed tensors (its batch may differ from the train step's). */
  private final TfFeedTensors evalFeedTensors = new TfFeedTensors();
  private List<String> lastReturned;
  private List<String> lastPacked;
  private int[] lastEvalIndices;
  private final TfStepProfile profile;
  private List<String> lastOutputs;
  private int[] lastIndices;

  private TfTrainSession(Graph trainIr, Graph evalIr, TfLowerer.Lowered train, TfLowerer.Lowered eval) {
    this.trainIr = trainIr;
    this.evalIr = evalIr;
    this.train = train;
    this.eval = eval;
    this.profile = TfStepProfile.fromProperty(trainIr.name());
  }

  /** Opens {@code step} (its graph, assignments and fused updates) beside {@code evalIr} ({@link #open(Graph, Map, List, Graph)}). */
  public static TfTrainSession open(TrainStep step, Graph evalIr) {
    return open(step.graph(), step.assignments(), step.fusedUpdates(), evalIr);
  }

  /**
   * Lowers both graphs and initialises every variable from the train graph's parameter initial values.
   * Every parameter of {@code evalIr} must be one of {@code trainIr}'s, with the same type.
   *
   * @param assignments train-graph value → name of the variable it is stored into after each step
   */
  public static TfTrainSession open(Graph trainIr, Map<Value, String> assignments, Graph evalIr) {
    return open(trainIr, assignments, List.of(), evalIr);
  }

  /**
   * Like {@link #open(Graph, Map, Graph)}, with fused optimizer kernels that update their variables in
   * place instead of those variables' assignments ({@link TfLowerer#lower(Graph, Map, List)}), unless
   * {@code -D}{@value TfFusedUpdates#PROPERTY}{@code =false} turns them off (then every assignment is an
   * {@code AssignVariableOp}).
   */
  public static TfTrainSession open(Graph trainIr, Map<Value, String> assignments, List<FusedUpdate> fused,
                                    Graph evalIr) {
    for (Parameter p : evalIr.parameters()) {
      Parameter t = trainIr.parameter(p.name()).orElseThrow(() -> new KilnException(
          "evaluation graph parameter '" + p.name() + "' is not in the train graph " + trainIr.name()));
      if (!t.value().type().equals(p.value().type())) {
        throw new KilnException("parameter '" + p.name() + "' is " + p.value().type() + " for evaluation but "
            + t.value().type() + " for training");
      }
    }
    StartupTrace.mark("tf: session open starts");
    TfLowerer.Lowered train = TfLowerer.lower(trainIr, assignments, TfFusedUpdates.enabled() ? fused : List.of());
    StartupTrace.mark("tf: train graph lowered");
    Session s = null;
    try {
      TfLowerer.Lowered eval = TfLowerer.lowerInto(train.graph(), "eval/", evalIr);
      TfTrainSession out = new TfTrainSession(trainIr, evalIr, train, eval);
      out.addSetters();
      StartupTrace.mark("tf: eval graph and setters lowered");
      s = TfSessions.open(train.graph());
      out.session = s;
      StartupTrace.mark("tf: session created");
      TfInitializer.run(s, train.initFeeds());
      StartupTrace.mark("tf: variables initialised");
      return out;
    } catch (RuntimeException e) {
      if (s != null) s.close();
      train.graph().close();
      throw e;
    }
  }

  private void addSetters() {
    TfOpBuilder ops = new TfOpBuilder(train.graph(), "set/");
    for (Parameter p : trainIr.parameters()) {
      DType d = p.value().type().dtype();
      varTypes.put(p.name(), d);
      Output<?> v = ops.op("Placeholder", p.name(), List.of(),
          Map.of("dtype", TfTypes.boundaryType(d), "shape", TfLowerer.tfShape(p.value().type())), null).get(0);
      Output<?> value = v;
      if (TfTypes.needsBitcast(d)) {
        value = ops.op("Bitcast", p.name() + "/bitcast", List.of(v), Map.of("type", TfTypes.dataType(d)), null).get(0);
      }
      setValues.put(p.name(), v);
      setOps.put(p.name(), ops.operation("AssignVariableOp", p.name() + "/assign",
          List.of(train.variables().get(p.name()), value), Map.of("dtype", d), null));
    }
  }

  /**
   * Runs one train step on {@code feed} (every train-graph input by name, the learning rate and step
   * included), with some inputs given as {@link Rows} of a host tensor (a shuffled batch), copied straight
   * into TF's tensors ({@link TfTensors#toTf(Rows)}); returns the loss (the train graph's first output, a
   * scalar), then the named train-graph outputs (e.g. the model's predictions, for metrics), in order.
   */
  @Override public List<HostTensor> step(Map<String, HostTensor> feed, Map<String, Rows> rows, List<String> outputs) {
    check();
    long start = profile == null ? 0 : System.nanoTime();
    boolean trace = profile != null && profile.traceNext();
    try {
      // NOTE: per-step host work is kept to the feeds (written into the tensors of the previous step, no
      // allocation), the fetch list (the output indices cached for the caller's list) and one run.
      Session.Runner r = session.runner();
      feedKept(r, train, trainIr, feedTensors, feed, rows);
      int[] wanted = fetchIndices(outputs);
      for (int i : wanted) r.fetch(train.outputs().get(i));
      for (GraphOperation op : train.assignOps()) r.addTarget(op);
      if (trace) r.setOptions(TfStepProfile.FULL_TRACE);
      long fed = profile == null ? 0 : System.nanoTime();
      try (Result res = trace ? r.runAndFetchMetadata() : r.run()) {
        long ran = profile == null ? 0 : System.nanoTime();
        List<HostTensor> out = new ArrayList<>(wanted.length);
        for (int i = 0; i < wanted.length; i++) {
          out.add(TfTensors.fromTf(res.get(i), trainIr.outputs().get(wanted[i]).type().dtype()));
        }
        if (profile != null) profile.record(start, fed, ran, System.nanoTime(), trace ? res.getMetadata().orElseThrow() : null);
        return out;
      }
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KilnException("TensorFlow failed to run the train step of " + trainIr.name() + ": " + firstLine(e), e);
    }
  }

  /** The train-graph output indices to fetch: the loss (0), then {@code outputs}; cached for the last list asked. */
  private int[] fetchIndices(List<String> outputs) {
    if (outputs.equals(lastOutputs)) return lastIndices;
    int[] idx = new int[outputs.size() + 1];
    for (int k = 0; k < outputs.size(); k++) {
      int i = indexOf(trainIr.outputs(), outputs.get(k));
      if (i < 0) throw new KilnException("the train graph has no output '" + outputs.get(k) + "'");
      idx[k + 1] = i;
    }
    lastOutputs = List.copyOf(outputs);
    lastIndices = idx;
    return idx;
  }

  /** The step profile so far ({@link TfStepProfile#report}), or null when {@value TfStepProfile#PROPERTY} is off. */
  String profileReport() { return profile == null ? null : profile.report(); }

  /** Runs the evaluation graph on {@code feed} and returns the named outputs (only those are computed). */
  @Override public Map<String, HostTensor> evaluate(Map<String, HostTensor> feed, List<String> outputs) {
    check();
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      feedAll(r, eval, evalIr, feed, fed);
      List<Value> wanted = new ArrayList<>();
      for (String name : outputs) {
        int i = indexOf(evalIr.outputs(), name);
        if (i < 0) throw new KilnException("the evaluation graph has no output '" + name + "'");
        wanted.add(evalIr.outputs().get(i));
        r.fetch(eval.outputs().get(i));
      }
      try (Result res = r.run()) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < wanted.size(); i++) out.put(wanted.get(i).name(), TfTensors.fromTf(res.get(i), wanted.get(i).type().dtype()));
        return out;
      }
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KilnException("TensorFlow failed to evaluate " + evalIr.name() + ": " + firstLine(e), e);
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /**
   * {@link TrainSession#evaluate(Map, Map, List, List, ByteBuffer)} with the fed tensors kept from call to call
   * ({@link TfFeedTensors}), rows gathered straight into them and the packed outputs copied from TF's memory into
   * {@code dst}: no host tensor is allocated but the returned ones.
   */
  @Override public Map<String, HostTensor> evaluate(Map<String, HostTensor> feed, Map<String, Rows> rows, List<String> returned,
                                                    List<String> packed, ByteBuffer dst) {
    check();
    try {
      Session.Runner r = session.runner();
      feedKept(r, eval, evalIr, evalFeedTensors, feed, rows);
      int[] wanted = evalIndices(returned, packed);
      for (int i : wanted) r.fetch(eval.outputs().get(i));
      try (Result res = r.run()) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int k = 0; k < returned.size(); k++) {
          out.put(returned.get(k), TfTensors.fromTf(res.get(k), evalIr.outputs().get(wanted[k]).type().dtype()));
        }
        for (int k = returned.size(); k < wanted.length; k++) TfTensors.copyInto(res.get(k), dst);
        return out;
      }
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KilnException("TensorFlow failed to evaluate " + evalIr.name() + ": " + firstLine(e), e);
    }
  }

  /** The evaluation-graph output indices of {@code returned} then {@code packed}; cached for the last lists asked. */
  private int[] evalIndices(List<String> returned, List<String> packed) {
    // NOTE: compared as given, not concatenated: this runs every data-parallel step.
    if (returned.equals(lastReturned) && packed.equals(lastPacked)) return lastEvalIndices;
    int[] idx = new int[returned.size() + packed.size()];
    for (int k = 0; k < idx.length; k++) {
      String name = k < returned.size() ? returned.get(k) : packed.get(k - returned.size());
      idx[k] = indexOf(evalIr.outputs(), name);
      if (idx[k] < 0) throw new KilnException("the evaluation graph has no output '" + name + "'");
    }
    lastReturned = List.copyOf(returned);
    lastPacked = List.copyOf(packed);
    lastEvalIndices = idx;
    return idx;
  }

  /** The current value of every variable (parameters and slots), by name, in graph order. */
  @Override public Map<String, HostTensor> readVariables() {
    check();
    Session.Runner r = session.runner();
    List<String> names = new ArrayList<>(train.reads().keySet());
    for (String n : names) r.fetch(train.reads().get(n));
    try (Result res = r.run()) {
      Map<String, HostTensor> out = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) out.put(names.get(i), TfTensors.fromTf(res.get(i), varTypes.get(names.get(i))));
      return out;
    }
  }

  /** {@link TrainSession#readVariables(ByteBuffer)}: one run, each variable copied from TF's memory into {@code dst}. */
  @Override public void readVariables(ByteBuffer dst) {
    check();
    Session.Runner r = session.runner();
    for (Output<?> read : train.reads().values()) r.fetch(read);
    try (Result res = r.run()) {
      for (int i = 0; i < train.reads().size(); i++) TfTensors.copyInto(res.get(i), dst);
    }
  }

  /** Overwrites the named variables (any subset); each value must have the variable's type. */
  @Override public void writeVariables(Map<String, HostTensor> values) {
    check();
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      for (Map.Entry<String, HostTensor> e : values.entrySet()) {
        Parameter p = trainIr.parameter(e.getKey()).orElseThrow(() -> new KilnException("no variable '" + e.getKey() + "'"));
        if (!e.getValue().type().equals(p.value().type())) {
          throw new KilnException("variable '" + e.getKey() + "' is " + p.value().type() + ", cannot take " + e.getValue().type());
        }
        Tensor t = TfTensors.toTf(e.getValue());
        fed.add(t);
        r.feed(setValues.get(e.getKey()), t);
        r.addTarget(setOps.get(e.getKey()));
      }
      r.run().close();
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** Feeds {@code feed} and {@code rows} to {@code l}'s placeholders through the tensors {@code kept} holds from run to run. */
  private static void feedKept(Session.Runner r, TfLowerer.Lowered l, Graph ir, TfFeedTensors kept, Map<String, HostTensor> feed,
                               Map<String, Rows> rows) {
    for (Map.Entry<String, HostTensor> e : feed.entrySet()) r.feed(placeholder(l, ir, e.getKey()), kept.of(e.getKey(), e.getValue()));
    for (Map.Entry<String, Rows> e : rows.entrySet()) r.feed(placeholder(l, ir, e.getKey()), kept.of(e.getKey(), e.getValue()));
  }

  private static void feedAll(Session.Runner r, TfLowerer.Lowered l, Graph ir, Map<String, HostTensor> feed, List<Tensor> fed) {
    for (Map.Entry<String, HostTensor> e : feed.entrySet()) {
      Output<?> ph = placeholder(l, ir, e.getKey());
      Tensor t = TfTensors.toTf(e.getValue());
      fed.add(t);
      r.feed(ph, t);
    }
  }

  private static Output<?> placeholder(TfLowerer.Lowered l, Graph ir, String name) {
    Output<?> ph = l.placeholders().get(name);
    if (ph == null) throw new KilnException("graph " + ir.name() + " has no input '" + name + "'");
    return ph;
  }

  private static int indexOf(List<Value> vs, String name) {
    for (int i = 0; i < vs.size(); i++) if (vs.get(i).name().equals(name)) return i;
    return -1;
  }

  private void check() {
    if (closed) throw new KilnException("the train session of " + trainIr.name() + " is closed");
  }

  private static String firstLine(RuntimeException e) {
    String s = e.getMessage();
    if (s == null) return e.getClass().getSimpleName();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Closes the session and the TF graph. */
  @Override public void close() {
    if (closed) return;
    closed = true;
    if (profile != null) System.err.print(profile.report());
    try {
      feedTensors.close();
      evalFeedTensors.close();
      session.close();
    } finally {
      train.graph().close();
    }
  }
}
