package dev.kiln.runtime.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.runtime.train.TrainingExport;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A training file ({@code train_step.onnx}, written by {@link TrainingExport}) trained in ONNX Runtime Java, as any
 * runtime would: feed the data and the state, keep the next state the run returns. Its metadata is checked against
 * the graph first; a file whose metadata names inputs or outputs the graph lacks is refused with those names.
 * NOTE: ONNX Runtime's Java API cannot feed a graph input that also has an initializer, so the state initializers
 * are taken out of the model here and fed as the first step's state (Python and Node.js feed them directly).
 */
public final class OrtTrainingFile implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final Map<String, String> stateMap;
  private final List<String> dataInputs;
  private final String loss;
  private final Map<String, OnnxTensor> state = new LinkedHashMap<>();
  private final List<OnnxTensor> owned = new ArrayList<>();
  private OrtSession.Result last;

  private OrtTrainingFile(OrtSession session, Map<String, String> stateMap, List<String> dataInputs, String loss) {
    this.session = session;
    this.stateMap = stateMap;
    this.dataInputs = dataInputs;
    this.loss = loss;
  }

  /** Loads and checks {@code path}; the state starts at the file's initializers. */
  public static OrtTrainingFile load(Path path) {
    ModelProto m;
    try {
      m = ModelProto.parseFrom(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new ModelFileException(path + ": cannot read it as an ONNX model: " + e.getMessage(), e);
    }
    Map<String, String> meta = new LinkedHashMap<>();
    for (StringStringEntryProto p : m.getMetadataPropsList()) meta.put(p.getKey(), p.getValue());
    for (String k : List.of(TrainingExport.META_STATE, TrainingExport.META_INPUTS, TrainingExport.META_LOSS)) {
      if (!meta.containsKey(k)) throw new ModelFileException(path + ": not a Kiln training file: no metadata '" + k + "'");
    }
    Map<String, String> stateMap = TrainingExport.readStateMap(meta.get(TrainingExport.META_STATE));
    List<String> data = TrainingExport.readNameList(meta.get(TrainingExport.META_INPUTS));
    String loss = meta.get(TrainingExport.META_LOSS);
    Set<String> inputs = new LinkedHashSet<>();
    for (ValueInfoProto v : m.getGraph().getInputList()) inputs.add(v.getName());
    Set<String> outputs = new LinkedHashSet<>();
    for (ValueInfoProto v : m.getGraph().getOutputList()) outputs.add(v.getName());
    Set<String> wantIn = new LinkedHashSet<>(stateMap.keySet());
    wantIn.addAll(data);
    Set<String> wantOut = new LinkedHashSet<>(stateMap.values());
    wantOut.add(loss);
    Set<String> missingIn = new TreeSet<>(wantIn);
    missingIn.removeAll(inputs);
    Set<String> extraIn = new TreeSet<>(inputs);
    extraIn.removeAll(wantIn);
    Set<String> missingOut = new TreeSet<>(wantOut);
    missingOut.removeAll(outputs);
    if (!missingIn.isEmpty() || !extraIn.isEmpty() || !missingOut.isEmpty()) {
      throw new ModelFileException(path + ": its training metadata does not match its graph:"
          + (missingIn.isEmpty() ? "" : " metadata names inputs the graph lacks " + missingIn + ";")
          + (extraIn.isEmpty() ? "" : " graph inputs the metadata does not name " + extraIn + ";")
          + (missingOut.isEmpty() ? "" : " metadata names outputs the graph lacks " + missingOut + ";"));
    }
    Map<String, HostTensor> initial = new LinkedHashMap<>();
    for (TensorProto t : m.getGraph().getInitializerList()) {
      if (stateMap.containsKey(t.getName())) initial.put(t.getName(), OnnxTensors.fromProto(t));
    }
    Set<String> noInitial = new TreeSet<>(stateMap.keySet());
    noInitial.removeAll(initial.keySet());
    if (!noInitial.isEmpty()) throw new ModelFileException(path + ": state inputs without an initial value (initializer): " + noInitial);
    byte[] bytes = TrainingExport.withInputs(m, stateMap.keySet(), true).toByteArray();
    try (OrtSession.SessionOptions so = OnnxRuntimeOptions.cpu().toSessionOptions()) {
      OrtTrainingFile f = new OrtTrainingFile(OrtEnvironment.getEnvironment().createSession(bytes, so), stateMap, data, loss);
      for (Map.Entry<String, HostTensor> e : initial.entrySet()) {
        OnnxTensor t = OnnxRuntimeModel.toOrt(f.env, e.getValue());
        f.owned.add(t);
        f.state.put(e.getKey(), t);
      }
      return f;
    } catch (OrtException e) {
      throw new ModelFileException(path + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
  }

  /** The data inputs the file expects (the model's inputs, then the labels). */
  public List<String> dataInputs() { return dataInputs; }

  /** Runs one step on {@code data} (by input name); returns the loss. */
  public double step(Map<String, HostTensor> data) {
    Set<String> missing = new TreeSet<>(dataInputs);
    missing.removeAll(data.keySet());
    if (!missing.isEmpty()) throw new KilnException("the training step needs inputs " + missing + "; it takes " + dataInputs);
    List<OnnxTensor> fed = new ArrayList<>();
    OrtSession.Result r = null;
    try {
      Map<String, OnnxTensor> in = new LinkedHashMap<>(state);
      for (String n : dataInputs) {
        OnnxTensor t = OnnxRuntimeModel.toOrt(env, data.get(n));
        fed.add(t);
        in.put(n, t);
      }
      r = session.run(in);
      double l = OnnxRuntimeModel.fromOrt(loss, r.get(loss).orElseThrow()).getDouble(0);
      for (Map.Entry<String, String> e : stateMap.entrySet()) state.put(e.getKey(), (OnnxTensor) r.get(e.getValue()).orElseThrow());
      owned.forEach(OnnxTensor::close);
      owned.clear();
      if (last != null) last.close();
      last = r;
      r = null;
      return l;
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime failed to run the training step: " + e.getMessage(), e);
    } finally {
      if (r != null) r.close();
      fed.forEach(OnnxTensor::close);
    }
  }

  /** The current value of every state input. */
  public Map<String, HostTensor> state() {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, OnnxTensor> e : state.entrySet()) out.put(e.getKey(), OnnxRuntimeModel.fromOrt(e.getKey(), e.getValue()));
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime could not read the state: " + e.getMessage(), e);
    }
    return out;
  }

  @Override public void close() {
    if (last != null) last.close();
    owned.forEach(OnnxTensor::close);
    try {
      session.close();
    } catch (OrtException e) {
      throw new KilnException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
    }
  }
}
