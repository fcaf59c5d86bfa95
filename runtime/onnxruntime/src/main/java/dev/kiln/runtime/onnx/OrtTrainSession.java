package dev.kiln.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.runtime.data.Rows;
import dev.kiln.runtime.train.TrainSession;
import dev.kiln.runtime.train.TrainStep;
import dev.kiln.runtime.train.TrainingExport;
import dev.kiln.runtime.train.TrainingGraph;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.DeadCodeElimination;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX Runtime back end's {@link TrainSession}: the train step exported as a plain ONNX model
 * ({@link TrainingGraph#hostFed}, {@link TrainingExport}) in one ORT session, and the evaluation graph in others,
 * all fed the same state. State lives in ONNX Runtime values: each step feeds the tensors the previous step
 * returned ({@code <state>.next}) and keeps the new ones, so parameters never pass through the Java heap between
 * steps; only {@link #readVariables} / {@link #writeVariables} (checkpoints, early stopping) copy them.
 */
final class OrtTrainSession implements TrainSession {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Graph evalIr;
  private final OnnxRuntimeOptions options;
  private final OrtSession train;
  /** The train model's graph inputs. NOTE: ORT's getInputNames() leaves out inputs that have an initializer. */
  private final java.util.Set<String> trainInputs = new java.util.LinkedHashSet<>();
  private final TrainingGraph training;
  private final List<String> order = new ArrayList<>();
  private final Map<String, Parameter> params = new LinkedHashMap<>();
  /** Current value of each variable: either one we created (in {@link #owned}) or an output of {@link #last}. */
  private final Map<String, OnnxTensor> state = new LinkedHashMap<>();
  private final List<OnnxTensor> owned = new ArrayList<>();
  private OrtSession.Result last;
  private final Map<List<String>, OrtSession> evalSessions = new HashMap<>();
  private final Map<OrtSession, List<String>> evalInputs = new HashMap<>();
  private boolean closed;

  private OrtTrainSession(TrainingGraph training, OrtSession train, Graph evalIr, OnnxRuntimeOptions options) {
    this.training = training;
    this.train = train;
    this.evalIr = evalIr;
    this.options = options;
  }

  /** Exports {@code step} and opens it; every parameter starts at its initial value. */
  static OrtTrainSession open(TrainStep step, Graph evalIr, OnnxRuntimeOptions options) {
    for (Parameter p : evalIr.parameters()) {
      Parameter t = step.graph().parameter(p.name()).orElseThrow(() -> new KilnException(
          "evaluation graph parameter '" + p.name() + "' is not in the train graph " + step.graph().name()));
      if (!t.value().type().equals(p.value().type())) {
        throw new KilnException("parameter '" + p.name() + "' is " + p.value().type() + " for evaluation but " + t.value().type() + " for training");
      }
    }
    TrainingGraph tg = TrainingGraph.hostFed(step);
    var proto = TrainingExport.toProto(tg, ExportOptions.defaults(), true);
    OrtTrainSession s = new OrtTrainSession(tg, session(proto.toByteArray(), options, step.graph().name()), evalIr, options);
    proto.getGraph().getInputList().forEach(i -> s.trainInputs.add(i.getName()));
    for (Parameter p : step.graph().parameters()) {
      s.order.add(p.name());
      s.params.put(p.name(), p);
    }
    s.writeVariables(initialValues(step.graph()));
    return s;
  }

  private static Map<String, HostTensor> initialValues(Graph g) {
    Map<String, HostTensor> m = new LinkedHashMap<>();
    for (Parameter p : g.parameters()) m.put(p.name(), p.initial());
    return m;
  }

  private static OrtSession session(byte[] model, OnnxRuntimeOptions options, String what) {
    try (OrtSession.SessionOptions so = options.toSessionOptions()) {
      return OrtEnvironment.getEnvironment().createSession(model, so);
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime cannot load the exported graph of " + what + ": " + e.getMessage(), e);
    }
  }

  @Override public List<HostTensor> step(Map<String, HostTensor> feed, Map<String, Rows> rows, List<String> outputs) {
    check();
    List<OnnxTensor> fed = new ArrayList<>();
    OrtSession.Result result = null;
    try {
      Map<String, OnnxTensor> in = new HashMap<>();
      java.util.Set<String> names = trainInputs;
      for (String n : feed.keySet()) {
        if (!names.contains(n) && !training.graph().inputs().stream().anyMatch(v -> v.name().equals(n))) {
          throw new KilnException("the train step of " + training.graph().name() + " has no input '" + n + "'");
        }
      }
      // An input the step does not read (the step number of a model without dropout and Adam) may be left out.
      for (Map.Entry<String, HostTensor> e : feed.entrySet()) {
        if (names.contains(e.getKey())) in.put(e.getKey(), track(fed, OnnxRuntimeModel.toOrt(env, e.getValue())));
      }
      for (Map.Entry<String, Rows> e : rows.entrySet()) in.put(e.getKey(), track(fed, fromRows(e.getValue())));
      for (String n : trainInputs) {
        if (in.containsKey(n)) continue;
        OnnxTensor s = state.get(n);
        if (s == null) throw new KilnException("the train step of " + training.graph().name() + " needs input '" + n + "', which was not fed");
        in.put(n, s);
      }
      result = train.run(in);
      List<HostTensor> out = new ArrayList<>();
      out.add(OnnxRuntimeModel.fromOrt(TrainingGraph.LOSS, get(result, TrainingGraph.LOSS)));
      for (String name : outputs) out.add(OnnxRuntimeModel.fromOrt(name, get(result, name)));
      // The new state replaces the old; the old values (ours and the previous result's) are freed.
      for (Map.Entry<String, String> e : training.state().entrySet()) state.put(e.getKey(), (OnnxTensor) get(result, e.getValue()));
      freeOld();
      last = result;
      result = null;
      return out;
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime failed to run the train step of " + training.graph().name() + ": " + e.getMessage(), e);
    } finally {
      if (result != null) result.close();
      fed.forEach(OnnxTensor::close);
    }
  }

  /** Frees the tensors no variable holds any more: those we created, and the previous step's result. */
  private void freeOld() {
    List<OnnxTensor> keep = new ArrayList<>();
    for (OnnxTensor t : owned) {
      if (state.containsValue(t)) keep.add(t); else t.close();
    }
    owned.clear();
    owned.addAll(keep);
    if (last != null) {
      // NOTE: a variable without a next value (a frozen parameter) keeps its tensor; copy it out before closing.
      for (Map.Entry<String, OnnxTensor> e : state.entrySet()) {
        for (Map.Entry<String, OnnxValue> r : last) {
          if (r.getValue() == e.getValue()) e.setValue(ownCopy(e.getKey(), e.getValue()));
        }
      }
      last.close();
      last = null;
    }
  }

  private OnnxTensor ownCopy(String name, OnnxTensor t) {
    try {
      OnnxTensor c = OnnxRuntimeModel.toOrt(env, OnnxRuntimeModel.fromOrt(name, t));
      owned.add(c);
      return c;
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime could not copy variable " + name + ": " + e.getMessage(), e);
    }
  }

  @Override public Map<String, HostTensor> evaluate(Map<String, HostTensor> feed, List<String> outputs) {
    check();
    OrtSession s = evalSessions.computeIfAbsent(List.copyOf(outputs), this::evalSession);
    List<OnnxTensor> fed = new ArrayList<>();
    try {
      Map<String, OnnxTensor> in = new HashMap<>();
      for (String n : evalInputs.get(s)) {
        HostTensor h = feed.get(n);
        if (h != null) in.put(n, track(fed, OnnxRuntimeModel.toOrt(env, h)));
        else if (state.containsKey(n)) in.put(n, state.get(n));
        else throw new KilnException("evaluating " + evalIr.name() + " needs input '" + n + "', which was not fed");
      }
      try (OrtSession.Result r = s.run(in)) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String name : outputs) out.put(name, OnnxRuntimeModel.fromOrt(name, get(r, name)));
        return out;
      }
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime failed to evaluate " + evalIr.name() + ": " + e.getMessage(), e);
    } finally {
      fed.forEach(OnnxTensor::close);
    }
  }

  /** A session computing only {@code outputs} of the evaluation graph, fed only the inputs those need. */
  private OrtSession evalSession(List<String> outputs) {
    List<Value> outs = new ArrayList<>();
    for (String name : outputs) {
      outs.add(evalIr.outputs().stream().filter(v -> v.name().equals(name)).findFirst()
          .orElseThrow(() -> new KilnException("the evaluation graph has no output '" + name + "'")));
    }
    Graph pruned = DeadCodeElimination.run(evalIr.with(evalIr.parameters(), evalIr.nodes(), outs));
    List<Value> read = pruned.inputs().stream().filter(v -> pruned.nodes().stream()
        .anyMatch(n -> n.inputs().contains(v)) || outs.contains(v)).toList();
    Graph g = new Graph(pruned.name(), read, pruned.parameters(), pruned.nodes(), pruned.outputs(), pruned.metadata());
    var proto = TrainingExport.withParameterInputs(g, ExportOptions.defaults());
    OrtSession s = session(proto.toByteArray(), options, evalIr.name());
    evalInputs.put(s, proto.getGraph().getInputList().stream().map(i -> i.getName()).toList());
    return s;
  }

  @Override public Map<String, HostTensor> readVariables() {
    check();
    Map<String, HostTensor> out = new LinkedHashMap<>();
    try {
      for (String n : order) out.put(n, OnnxRuntimeModel.fromOrt(n, state.get(n)));
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime could not read the variables: " + e.getMessage(), e);
    }
    return out;
  }

  @Override public void writeVariables(Map<String, HostTensor> values) {
    check();
    for (Map.Entry<String, HostTensor> e : values.entrySet()) {
      Parameter p = params.get(e.getKey());
      if (p == null) throw new KilnException("no variable '" + e.getKey() + "'");
      if (!e.getValue().type().equals(p.value().type())) {
        throw new KilnException("variable '" + e.getKey() + "' is " + p.value().type() + ", cannot take " + e.getValue().type());
      }
    }
    try {
      for (Map.Entry<String, HostTensor> e : values.entrySet()) {
        OnnxTensor t = OnnxRuntimeModel.toOrt(env, e.getValue());
        owned.add(t);
        state.put(e.getKey(), t);
      }
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime could not take the variables: " + e.getMessage(), e);
    }
    // Tensors of ours no variable holds any more are freed; a previous result stays until the next step.
    List<OnnxTensor> keep = new ArrayList<>();
    for (OnnxTensor t : owned) if (state.containsValue(t)) keep.add(t); else t.close();
    owned.clear();
    owned.addAll(keep);
  }

  /** Rows of a shuffled batch copied once, straight into a direct buffer that the ORT tensor wraps. */
  private OnnxTensor fromRows(Rows rows) throws OrtException {
    ByteBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(rows.byteSize())).order(ByteOrder.nativeOrder());
    if (rows.byteSize() > 0) rows.copyInto(b);
    long[] shape = rows.shape();
    return switch (rows.dtype()) {
      case F32 -> OnnxTensor.createTensor(env, b.asFloatBuffer(), shape);
      case F64 -> OnnxTensor.createTensor(env, b.asDoubleBuffer(), shape);
      case I64 -> OnnxTensor.createTensor(env, b.asLongBuffer(), shape);
      case I32 -> OnnxTensor.createTensor(env, b.asIntBuffer(), shape);
      case U8 -> OnnxTensor.createTensor(env, b, shape, OnnxJavaType.UINT8);
      default -> OnnxRuntimeModel.toOrt(env, rows.gather());
    };
  }

  private static OnnxTensor track(List<OnnxTensor> fed, OnnxTensor t) {
    fed.add(t);
    return t;
  }

  private static OnnxValue get(OrtSession.Result r, String name) {
    return r.get(name).orElseThrow(() -> new KilnException("ONNX Runtime returned no output '" + name + "'"));
  }

  private void check() {
    if (closed) throw new KilnException("the ONNX Runtime train session of " + training.graph().name() + " is closed");
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    if (last != null) last.close();
    owned.forEach(OnnxTensor::close);
    try {
      train.close();
      for (OrtSession s : evalSessions.values()) s.close();
    } catch (OrtException e) {
      throw new KilnException("closing ONNX Runtime sessions failed: " + e.getMessage(), e);
    }
  }
}
