package dev.kiln.compiler.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Converts between {@link HostTensor} and ONNX {@code TensorProto} (raw_data or typed fields). */
public final class OnnxTensors {
  private OnnxTensors() {}

  /** A TensorProto with little-endian raw_data. */
  public static TensorProto toProto(String name, HostTensor t) {
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxCode());
    for (long d : t.shape()) b.addDims(d);
    return b.setRawData(ByteString.copyFrom(t.buffer())).build();
  }

  /**
   * Reads a TensorProto held inline (raw_data or the typed repeated fields). Sizes are checked
   * against the declared shape before anything is allocated from them.
   */
  public static HostTensor fromProto(TensorProto p) {
    DType dtype = DType.fromOnnx(p.getDataType());
    long[] shape = p.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long n;
    try {
      n = HostTensor.count(shape);
    } catch (ArithmeticException | dev.kiln.spec.KilnException e) {
      throw new ModelFileException("tensor '" + p.getName() + "' has an invalid shape " + p.getDimsList());
    }
    if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new ModelFileException("tensor '" + p.getName() + "' keeps its data in an external file; load the model from its folder");
    }
    if (p.hasRawData() || !p.getRawData().isEmpty()) {
      ByteString raw = p.getRawData();
      if (raw.size() != n * dtype.byteSize()) {
        throw new ModelFileException("tensor '" + p.getName() + "' of " + dtype + java.util.Arrays.toString(shape)
            + " needs " + n * dtype.byteSize() + " bytes of raw_data, has " + raw.size());
      }
      return HostTensor.ofBuffer(dtype, shape, raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }
    int count = typedCount(p, dtype);
    if (count != n) {
      throw new ModelFileException("tensor '" + p.getName() + "' declares " + n + " elements of " + dtype + " but holds " + count);
    }
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(n * dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      switch (dtype) {
        case F32 -> buf.putFloat(p.getFloatData(i));
        case F64 -> buf.putDouble(p.getDoubleData(i));
        case I64 -> buf.putLong(p.getInt64Data(i));
        case I32 -> buf.putInt(p.getInt32Data(i));
        case I16, U16, F16, BF16 -> buf.putShort((short) p.getInt32Data(i));
        case U32 -> buf.putInt((int) p.getUint64Data(i));
        case U64 -> buf.putLong(p.getUint64Data(i));
        case I8, U8, BOOL -> buf.put((byte) p.getInt32Data(i));
      }
    }
    buf.flip();
    return HostTensor.ofBuffer(dtype, shape, buf);
  }

  private static int typedCount(TensorProto p, DType d) {
    return switch (d) {
      case F32 -> p.getFloatDataCount();
      case F64 -> p.getDoubleDataCount();
      case I64 -> p.getInt64DataCount();
      case U32, U64 -> p.getUint64DataCount();
      default -> p.getInt32DataCount();
    };
  }

  /** Dims of a proto as a list, for messages. */
  public static List<Long> dims(TensorProto p) { return p.getDimsList(); }
}
