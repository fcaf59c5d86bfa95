package dev.kiln.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model loaded into ONNX Runtime. Inputs and outputs are named {@link HostTensor}s; every
 * native resource (session, tensors) is closed. A wrong input name, dtype or shape is refused with
 * a message listing what the model expects.
 */
public final class OnnxRuntimeModel implements AutoCloseable {
  private final OrtSession session;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  /** External initializers the session uses in place (closed with it); null when the model has none. */
  private OrtExternalData external;

  /** A model over an open session it takes ownership of (no unsigned-input rewrite). */
  static OnnxRuntimeModel open(OrtSession session) throws OrtException { return new OnnxRuntimeModel(session); }

  private OnnxRuntimeModel(OrtSession session) throws OrtException {
    this.session = session;
    this.inputs = specs(session.getInputInfo());
    this.outputs = specs(session.getOutputInfo());
  }

  /**
   * The model in {@code session}, or, when it has u16/u32/u64 inputs (which ONNX Runtime's Java API cannot
   * create), a new session on the model with those inputs rewritten by {@link UnsignedInputs}; the specs
   * still report the unsigned dtypes, and such inputs are fed as the signed type of the same bytes.
   */
  private static OnnxRuntimeModel open(OrtSession session, java.util.function.Supplier<byte[]> bytes,
                                       OrtSession.SessionOptions so) throws OrtException {
    List<TensorSpec> ins = specs(session.getInputInfo());
    Map<String, DType> unsigned = new LinkedHashMap<>();
    for (TensorSpec s : ins) {
      if (s.dtype() == DType.U16 || s.dtype() == DType.U32 || s.dtype() == DType.U64) unsigned.put(s.name(), s.dtype());
    }
    if (unsigned.isEmpty()) return new OnnxRuntimeModel(session);
    session.close();
    OrtSession rewritten = OrtEnvironment.getEnvironment().createSession(UnsignedInputs.rewrite(bytes.get(), unsigned), so);
    return new OnnxRuntimeModel(rewritten, ins, specs(rewritten.getOutputInfo()));
  }

  private OnnxRuntimeModel(OrtSession session, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    this.session = session;
    this.inputs = inputs;
    this.outputs = outputs;
  }

  /** Loads a model file on the CPU. */
  public static OnnxRuntimeModel load(Path path) { return load(path, OnnxRuntimeOptions.cpu()); }

  /**
   * Loads a model file. ONNX Runtime gets the file's bytes, never its path: external data is read and checked
   * by Kiln ({@link OrtExternalData}) and given to the session in memory.
   */
  public static OnnxRuntimeModel load(Path path, OnnxRuntimeOptions options) {
    if (!Files.isRegularFile(path)) throw new ModelFileException(path + ": no such model file");
    byte[] bytes = readAll(path);
    OrtExternalData ext = OrtExternalData.prepare(path, bytes, OrtEnvironment.getEnvironment());
    try (OrtSession.SessionOptions so = options.toSessionOptions()) {
      ext.addTo(so);
      OnnxRuntimeModel m = open(OrtEnvironment.getEnvironment().createSession(ext.model(), so), ext::model, so);
      if (ext.any()) m.external = ext;
      return m;
    } catch (OrtException | RuntimeException e) {
      ext.close();
      if (e instanceof RuntimeException r) throw r;
      throw new ModelFileException(path + ": ONNX Runtime cannot load it: " + firstLine(e.getMessage()), e);
    }
  }

  /** Loads a model from bytes on the CPU. */
  public static OnnxRuntimeModel load(byte[] model) { return load(model, OnnxRuntimeOptions.cpu()); }

  public static OnnxRuntimeModel load(byte[] model, OnnxRuntimeOptions options) {
    try (OrtSession.SessionOptions so = options.toSessionOptions()) {
      return open(OrtEnvironment.getEnvironment().createSession(model, so), () -> model, so);
    } catch (OrtException e) {
      throw new ModelFileException("ONNX Runtime cannot load the model: " + firstLine(e.getMessage()), e);
    }
  }

  private static byte[] readAll(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (java.io.IOException e) {
      throw new ModelFileException(path + ": cannot read it: " + e.getMessage(), e);
    }
  }

  public List<TensorSpec> inputs() { return inputs; }

  public List<TensorSpec> outputs() { return outputs; }

  /** Runs the model on named inputs and returns every output by name, in the model's order. */
  public Map<String, HostTensor> run(Map<String, HostTensor> feed) {
    checkFeed(feed);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> ort = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, HostTensor> e : feed.entrySet()) ort.put(e.getKey(), toOrt(env, e.getValue()));
      try (OrtSession.Result r = session.run(ort)) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : r) out.put(e.getKey(), fromOrt(e.getKey(), e.getValue()));
        return out;
      }
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime failed to run the model: " + firstLine(e.getMessage()), e);
    } finally {
      ort.values().forEach(OnnxTensor::close);
    }
  }

  private void checkFeed(Map<String, HostTensor> feed) {
    for (String name : feed.keySet()) {
      if (inputs.stream().noneMatch(s -> s.name().equals(name))) {
        throw new KilnException("the model has no input '" + name + "'; it expects " + inputs);
      }
    }
    for (TensorSpec s : inputs) {
      HostTensor t = feed.get(s.name());
      if (t == null) throw new KilnException("missing input '" + s.name() + "'; the model expects " + inputs);
      if (t.dtype() != s.dtype()) {
        throw new KilnException("input '" + s.name() + "' must be " + s.dtype() + ", got " + t.dtype() + "; the model expects " + inputs);
      }
      long[] shape = t.shape();
      boolean ok = shape.length == s.shape().length;
      for (int i = 0; ok && i < shape.length; i++) ok = s.shape()[i] < 0 || s.shape()[i] == shape[i];
      if (!ok) {
        throw new KilnException("input '" + s.name() + "' has shape " + java.util.Arrays.toString(shape)
            + " but the model expects " + s.shapeText() + "; inputs: " + inputs);
      }
    }
  }

  static OnnxTensor toOrt(OrtEnvironment env, HostTensor t) throws OrtException {
    ByteBuffer b = ByteBuffer.allocateDirect(t.bytes().length).order(ByteOrder.nativeOrder());
    ByteBuffer src = t.buffer();
    long[] shape = t.shape();
    switch (t.dtype()) {
      case F32 -> { b.asFloatBuffer().put(src.asFloatBuffer()); return OnnxTensor.createTensor(env, b.asFloatBuffer(), shape); }
      case F64 -> { b.asDoubleBuffer().put(src.asDoubleBuffer()); return OnnxTensor.createTensor(env, b.asDoubleBuffer(), shape); }
      case I64 -> { b.asLongBuffer().put(src.asLongBuffer()); return OnnxTensor.createTensor(env, b.asLongBuffer(), shape); }
      case I32 -> { b.asIntBuffer().put(src.asIntBuffer()); return OnnxTensor.createTensor(env, b.asIntBuffer(), shape); }
      case I16, U16 -> { b.asShortBuffer().put(src.asShortBuffer()); return OnnxTensor.createTensor(env, b.asShortBuffer(), shape); }
      case U32 -> { b.asIntBuffer().put(src.asIntBuffer()); return OnnxTensor.createTensor(env, b.asIntBuffer(), shape); }
      case U64 -> { b.asLongBuffer().put(src.asLongBuffer()); return OnnxTensor.createTensor(env, b.asLongBuffer(), shape); }
      case I8 -> { b.put(src).flip(); return OnnxTensor.createTensor(env, b, shape, OnnxJavaType.INT8); }
      case U8 -> { b.put(src).flip(); return OnnxTensor.createTensor(env, b, shape, OnnxJavaType.UINT8); }
      case BOOL -> { b.put(src).flip(); return OnnxTensor.createTensor(env, b, shape, OnnxJavaType.BOOL); }
      case F16 -> { b.asShortBuffer().put(src.asShortBuffer()); return OnnxTensor.createTensor(env, b, shape, OnnxJavaType.FLOAT16); }
      case BF16 -> { b.asShortBuffer().put(src.asShortBuffer()); return OnnxTensor.createTensor(env, b, shape, OnnxJavaType.BFLOAT16); }
      default -> throw new KilnException("unsupported input dtype " + t.dtype());
    }
  }

  static HostTensor fromOrt(String name, OnnxValue v) throws OrtException {
    if (!(v instanceof OnnxTensor t)) throw new KilnException("output '" + name + "' is not a tensor (" + v.getType() + ")");
    TensorInfo info = t.getInfo();
    DType d = dtype(info, name);
    ByteBuffer raw = t.getByteBuffer().order(ByteOrder.nativeOrder());
    ByteBuffer le = ByteBuffer.allocate(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    switch (d.byteSize()) {
      case 8 -> le.asLongBuffer().put(raw.asLongBuffer());
      case 4 -> le.asIntBuffer().put(raw.asIntBuffer());
      case 2 -> le.asShortBuffer().put(raw.asShortBuffer());
      default -> le.put(raw).flip();
    }
    return HostTensor.ofBuffer(d, info.getShape(), le);
  }

  /** The Kiln dtype of a tensor; the unsigned types ONNX Runtime's Java API reports as signed come from the ONNX type. */
  private static DType dtype(TensorInfo info, String name) {
    return switch (info.onnxType) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DType.U16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DType.U32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DType.U64;
      default -> dtype(info.type, name);
    };
  }

  private static DType dtype(OnnxJavaType t, String name) {
    return switch (t) {
      case FLOAT -> DType.F32;
      case DOUBLE -> DType.F64;
      case INT64 -> DType.I64;
      case INT32 -> DType.I32;
      case INT16 -> DType.I16;
      case INT8 -> DType.I8;
      case UINT8 -> DType.U8;
      case BOOL -> DType.BOOL;
      case FLOAT16 -> DType.F16;
      case BFLOAT16 -> DType.BF16;
      default -> throw new KilnException("'" + name + "' has ONNX Runtime type " + t + ", which Kiln does not handle");
    };
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
    List<TensorSpec> out = new ArrayList<>();
    for (NodeInfo n : infos.values()) {
      if (n.getInfo() instanceof TensorInfo ti) {
        out.add(new TensorSpec(n.getName(), dtype(ti, n.getName()), ti.getShape(), ti.getDimensionNames()));
      } else {
        out.add(new TensorSpec(n.getName(), null, new long[0], null));
      }
    }
    return List.copyOf(out);
  }

  private static String firstLine(String s) {
    if (s == null) return "(no message)";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new KilnException("closing ONNX Runtime session failed: " + e.getMessage(), e);
    } finally {
      if (external != null) external.close();
    }
  }
}
