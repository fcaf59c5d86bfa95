package dev.kiln.runtime.tf;

import dev.kiln.spec.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.RawTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * {@link HostTensor} ↔ TF tensor conversion by bulk byte copies (no per-element loops).
 * NOTE: TF tensors hold elements in native byte order; Kiln's host tensors are little-endian, which is
 * the native order on every platform TF-Java ships natives for (x86-64, arm64), so bytes copy as-is.
 */
public final class TfTensors {
  private TfTensors() {}

  static {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new ExceptionInInitializerError("the TensorFlow back end needs a little-endian platform");
    }
  }

  /** A new TF tensor holding a copy of {@code t}'s bytes; the caller closes it. */
  public static Tensor toTf(HostTensor t) {
    ByteBuffer src = t.buffer();
    // One bulk copy from the host bytes into the tensor's native memory.
    ByteDataBuffer data = src.hasArray() && !src.isReadOnly() ? DataBuffers.of(src) : DataBuffers.of(t.bytes(), true, false);
    return Tensor.of(TfTypes.tensorClass(t.dtype()), Shape.of(t.shape()), data);
  }

  /** A host copy of a TF tensor (which stays open; the caller closes it). */
  public static HostTensor fromTf(Tensor t) {
    RawTensor raw = t.asRawTensor();
    long n = raw.numBytes();
    byte[] bytes = new byte[Math.toIntExact(n)];
    raw.data().read(bytes);
    return HostTensor.ofBuffer(TfTypes.dtype(t.dataType()), t.shape().asArray(), ByteBuffer.wrap(bytes));
  }
}
