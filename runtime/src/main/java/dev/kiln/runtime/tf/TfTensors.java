package dev.kiln.runtime.tf;

import com.google.protobuf.ByteString;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.RawTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * {@link HostTensor} ↔ TF tensor conversion by bulk byte copies (no per-element loops).
 * NOTE: TF tensors hold elements in native byte order; Kiln's host tensors are little-endian, which is
 * the native order on every platform TF-Java ships natives for (x86-64, arm64), so bytes copy as-is.
 */
public final class TfTensors {
  static {
    OneDnn.configure();  // before TensorFlow's native library loads
  }

  private TfTensors() {}

  static {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new ExceptionInInitializerError("the TensorFlow back end needs a little-endian platform");
    }
  }

  /**
   * A new TF tensor holding a copy of {@code t}'s bytes; the caller closes it. Int8 and int16 come out
   * as uint8 / uint16 tensors with the same bytes ({@link TfTypes#tensorClass}).
   */
  public static Tensor toTf(HostTensor t) {
    ByteBuffer src = t.buffer();
    return Tensor.of(TfTypes.tensorClass(t.dtype()), Shape.of(t.shape()), src.remaining(), tensor -> copyInto(src, tensor));
  }

  /**
   * Copies {@code src} into the tensor's native memory through a small reused chunk (a batch is one
   * pass over the host bytes, not a full-size byte[] copy first: a tenth of an MLP step's time).
   * NOTE: host tensors are read-only heap buffers (no array to hand over), and ndarray's NIO-backed
   * buffer copies element by element into raw memory, so the chunk is the bulk path.
   */
  private static void copyInto(ByteBuffer src, Tensor tensor) {
    ByteDataBuffer dst = tensor.asRawTensor().data();
    byte[] chunk = CHUNK.get();
    long at = 0;
    while (src.hasRemaining()) {
      int n = Math.min(chunk.length, src.remaining());
      src.get(chunk, 0, n);
      dst.offset(at).write(chunk, 0, n);
      at += n;
    }
  }

  private static final ThreadLocal<byte[]> CHUNK = ThreadLocal.withInitial(() -> new byte[1 << 16]);

  /** A host copy of a TF tensor (which stays open; the caller closes it). */
  public static HostTensor fromTf(Tensor t) { return fromTf(t, TfTypes.dtype(t.dataType())); }

  /** A host copy of a TF tensor carrying a {@code dtype} tensor (see {@link TfTypes#boundaryType}). */
  public static HostTensor fromTf(Tensor t, DType dtype) {
    if (t.dataType() != TfTypes.boundaryType(dtype)) {
      throw new KilnException("TF tensor of " + t.dataType() + " cannot hold " + dtype + " (expected " + TfTypes.boundaryType(dtype) + ")");
    }
    RawTensor raw = t.asRawTensor();
    byte[] bytes = new byte[Math.toIntExact(raw.numBytes())];
    raw.data().read(bytes);
    return HostTensor.ofBuffer(dtype, t.shape().asArray(), ByteBuffer.wrap(bytes));
  }

  /**
   * A TF {@link TensorProto} holding {@code t} as raw content (any dtype, int8 included), for tensor
   * attributes such as {@code Const}'s {@code value}.
   */
  public static TensorProto toProto(HostTensor t) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : t.shape()) shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    return TensorProto.newBuilder().setDtype(TfTypes.dataType(t.dtype())).setTensorShape(shape)
        .setTensorContent(ByteString.copyFrom(t.buffer())).build();
  }
}
