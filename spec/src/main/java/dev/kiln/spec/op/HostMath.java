package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Small pure-Java arithmetic over {@link HostTensor}s for constant folding: NumPy-broadcasting
 * binary elementwise ops on f32, f64, i32 and i64, computed in the dtype's precision.
 */
public final class HostMath {
  private HostMath() {}

  /** The dtypes {@link #binary} computes in. */
  public static boolean supports(DType d) {
    return d == DType.F32 || d == DType.F64 || d == DType.I32 || d == DType.I64;
  }

  /** NumPy broadcasting of two static shapes. */
  public static long[] broadcastShape(long[] a, long[] b) {
    int r = Math.max(a.length, b.length);
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long da = i < r - a.length ? 1 : a[i - (r - a.length)];
      long db = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new ShapeException("cannot broadcast " + Arrays.toString(a) + " with " + Arrays.toString(b)
            + " (axis " + i + ": " + da + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /**
   * {@code y[i] = f(a[i], b[i])} with broadcasting. Floating dtypes use {@code real}, integer
   * dtypes {@code integer}.
   *
   * <p>NOTE: f32 elements are computed in double and rounded to float once per element. For +, -, *
   * and / that equals IEEE float arithmetic (double has more than 2*24+2 significand bits, so the
   * double rounding is innocuous); i32 results wrap to 32 bits as Java int arithmetic (and ONNX
   * Runtime) do.
   */
  public static HostTensor binary(HostTensor a, HostTensor b, DoubleBinaryOperator real, LongBinaryOperator integer) {
    if (a.dtype() != b.dtype()) throw new ShapeException("operands differ in dtype: " + a.dtype() + " vs " + b.dtype());
    DType d = a.dtype();
    if (!supports(d)) throw new ShapeException("host arithmetic does not support dtype " + d);
    long[] shape = broadcastShape(a.shape(), b.shape());
    int n = Math.toIntExact(HostTensor.count(shape));
    int[] ia = sourceIndex(a.shape(), shape, n);
    int[] ib = sourceIndex(b.shape(), shape, n);
    ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(n, d.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      switch (d) {
        case F32 -> out.putFloat((float) real.applyAsDouble(a.getDouble(ia[i]), b.getDouble(ib[i])));
        case F64 -> out.putDouble(real.applyAsDouble(a.getDouble(ia[i]), b.getDouble(ib[i])));
        case I32 -> out.putInt((int) integer.applyAsLong(a.getLong(ia[i]), b.getLong(ib[i])));
        case I64 -> out.putLong(integer.applyAsLong(a.getLong(ia[i]), b.getLong(ib[i])));
        default -> throw new IllegalStateException("unreachable: " + d);
      }
    }
    out.flip();
    return HostTensor.ofBuffer(d, shape, out);
  }

  /** For each flat index of {@code outShape}, the flat index of the broadcast source element. */
  private static int[] sourceIndex(long[] src, long[] outShape, int n) {
    int r = outShape.length;
    long[] stride = new long[r];
    long s = 1;
    for (int i = src.length - 1; i >= 0; i--) {
      int o = i + (r - src.length);
      stride[o] = src[i] == 1 ? 0 : s;
      s *= src[i];
    }
    int[] idx = new int[n];
    long[] pos = new long[r];
    long at = 0;
    for (int i = 0; i < n; i++) {
      idx[i] = (int) at;
      for (int k = r - 1; k >= 0; k--) {
        pos[k]++;
        at += stride[k];
        if (pos[k] < outShape[k]) break;
        at -= stride[k] * pos[k];
        pos[k] = 0;
      }
    }
    return idx;
  }
}
