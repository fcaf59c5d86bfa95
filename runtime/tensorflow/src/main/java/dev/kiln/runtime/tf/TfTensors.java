package dev.kiln.runtime.tf;

import com.google.protobuf.ByteString;
import dev.kiln.runtime.data.Rows;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.RawTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataStorageVisitor;
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
    return Tensor.of(TfTypes.tensorClass(t.dtype()), Shape.of(t.shape()), src.remaining(), tensor -> {
      if (src.hasRemaining()) nativeBytes(tensor).put(src);
    });
  }

  /**
   * A new TF tensor holding {@code rows}, copied straight from their source into the tensor (a shuffled
   * batch in one pass over its bytes, with no host batch between); the caller closes it.
   */
  public static Tensor toTf(Rows rows) {
    return Tensor.of(TfTypes.tensorClass(rows.dtype()), Shape.of(rows.shape()), rows.byteSize(), tensor -> {
      if (rows.byteSize() > 0) rows.copyInto(nativeBytes(tensor));
    });
  }

  /** Overwrites {@code tensor}'s bytes with {@code t}'s (same dtype and shape: the caller checks). */
  static void overwrite(Tensor tensor, HostTensor t) {
    ByteBuffer src = t.buffer();
    if (src.hasRemaining()) nativeBytes(tensor).put(src);
  }

  /** Overwrites {@code tensor}'s bytes with {@code rows}, gathered straight from their source (same dtype and shape). */
  static void overwrite(Tensor tensor, Rows rows) {
    if (rows.byteSize() > 0) rows.copyInto(nativeBytes(tensor));
  }

  /** Copies {@code t}'s bytes into {@code dst} from its position (advanced), in one native copy. */
  static void copyInto(Tensor t, ByteBuffer dst) {
    if (t.asRawTensor().numBytes() > 0) dst.put(nativeBytes(t));
  }

  /**
   * A direct byte buffer over a TF tensor's native memory, valid while the tensor is open. NOTE: host
   * tensors are heap buffers, and ndarray's buffers over raw memory take byte[] only, which would cost a
   * second copy; a direct buffer takes the heap bytes in one native copy (also before the JIT warms up).
   */
  private static ByteBuffer nativeBytes(Tensor t) {
    RawTensor raw = t.asRawTensor();
    long size = raw.numBytes();
    ByteBuffer view = raw.data().accept(new DataStorageVisitor<ByteBuffer>() {
      @Override public ByteBuffer visit(long address, long length, long scale) {
        return new NativeBytes(address, size).asByteBuffer();
      }

      @Override public ByteBuffer fallback() { return null; }
    });
    if (view == null || view.capacity() != size) throw new IllegalStateException("TF tensor memory is not a native block of " + size + " bytes");
    return view.order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A JavaCPP pointer to {@code size} bytes at {@code address}, owned by someone else (no deallocator). */
  private static final class NativeBytes extends BytePointer {
    NativeBytes(long address, long size) {
      this.address = address;
      this.limit = size;
      this.capacity = size;
    }
  }

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
    // The array is ours alone: adopt it rather than copy it a second time (a step's gradients are a megabyte or more).
    return HostTensor.adopt(dtype, t.shape().asArray(), ByteBuffer.wrap(bytes));
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
