package dev.kiln.runtime.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.CodedInputStream;
import dev.kiln.compiler.io.ReadLimits;
import dev.kiln.compiler.onnx.ExternalData;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps ONNX Runtime off the file system for a model's external data. ONNX Runtime would resolve
 * {@code external_data} locations itself, without Kiln's checks (a hard-linked or swapped file would be
 * read). Instead each external initializer is read here through Kiln's {@link ExternalData} (confined to the
 * model's folder, verified by identity, within {@link ReadLimits}) and handed to the session in memory
 * ({@code SessionOptions.addExternalInitializers}); the model given to ONNX Runtime names a location that
 * does not exist, so a path it tried to read itself would fail rather than reach a file.
 * External data anywhere but in the main graph's initializers is refused.
 */
final class OrtExternalData implements AutoCloseable {
  /** A location no file has: ONNX Runtime must take the tensor from the session options. */
  static final String NOWHERE = "kiln-external-data-is-given-in-memory/no-such-file";

  private final byte[] model;
  private final Map<String, OnnxTensor> tensors;

  private OrtExternalData(byte[] model, Map<String, OnnxTensor> tensors) {
    this.model = model;
    this.tensors = tensors;
  }

  /** The model bytes ONNX Runtime should load. */
  byte[] model() { return model; }

  /** Whether the model had external data (else {@link #model} is the file's bytes unchanged). */
  boolean any() { return !tensors.isEmpty(); }

  /** Adds the validated tensors to {@code so}; they must stay open as long as a session built with it. */
  void addTo(OrtSession.SessionOptions so) throws OrtException {
    if (!tensors.isEmpty()) so.addExternalInitializers(new LinkedHashMap<String, OnnxTensorLike>(tensors));
  }

  /** Reads {@code bytes} (the file at {@code path}) and its external data, if any. */
  static OrtExternalData prepare(Path path, byte[] bytes, OrtEnvironment env) {
    ModelProto m;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(64);
      in.setSizeLimit(Integer.MAX_VALUE);
      m = ModelProto.parseFrom(in);
    } catch (IOException e) {
      // Not Kiln's to judge here: ONNX Runtime's own parser gives its error.
      return new OrtExternalData(bytes, Map.of());
    }
    GraphProto g = m.getGraph();
    refuseNested(g, true);
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    GraphProto.Builder gb = g.toBuilder();
    Path dir = path.toAbsolutePath().getParent();
    ReadLimits limits = ReadLimits.defaults();
    long total = 0;
    try {
      for (int i = 0; i < g.getInitializerCount(); i++) {
        TensorProto t = g.getInitializer(i);
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) continue;
        HostTensor h = ExternalData.read(t, dir, limits);
        total += h.size() * h.dtype().byteSize();
        limits.checkTotalBytes("the model's external data", total);
        tensors.put(t.getName(), OnnxRuntimeModel.toOrt(env, h));
        TensorProto.Builder stub = t.toBuilder().clearExternalData()
            .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(NOWHERE));
        for (StringStringEntryProto e : t.getExternalDataList()) {
          if (e.getKey().equals("length")) stub.addExternalData(e);
        }
        gb.setInitializer(i, stub);
      }
    } catch (OrtException | RuntimeException e) {
      tensors.values().forEach(OnnxTensor::close);
      if (e instanceof RuntimeException r) throw r;
      throw new ModelFileException(path + ": external data cannot be given to ONNX Runtime: " + e.getMessage(), e);
    }
    if (tensors.isEmpty()) return new OrtExternalData(bytes, Map.of());
    return new OrtExternalData(m.toBuilder().setGraph(gb).build().toByteArray(), tensors);
  }

  /** Refuses external tensors in Constant attributes and subgraphs, which ONNX Runtime would read itself. */
  private static void refuseNested(GraphProto g, boolean main) {
    if (!main) {
      for (TensorProto t : g.getInitializerList()) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
          throw new ModelFileException("initializer '" + t.getName() + "' of a subgraph keeps its data in an external file; "
              + "Kiln gives ONNX Runtime external data of the main graph's initializers only");
        }
      }
    }
    for (NodeProto n : g.getNodeList()) {
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasT() && a.getT().getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
          throw new ModelFileException("node '" + n.getName() + "' (" + n.getOpType() + ") holds a tensor attribute in an external file; "
              + "Kiln gives ONNX Runtime external data of the main graph's initializers only");
        }
        for (TensorProto t : a.getTensorsList()) {
          if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) refuseNested(GraphProto.newBuilder().addInitializer(t).build(), false);
        }
        if (a.hasG()) refuseNested(a.getG(), false);
        for (GraphProto sub : a.getGraphsList()) refuseNested(sub, false);
      }
    }
  }

  @Override public void close() { tensors.values().forEach(OnnxTensor::close); }
}
