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

  /** {@code y[i] = f(x[i])} in x's dtype (one of {@link #supports}): floats through {@code real}, integers {@code integer}. */
  public static HostTensor unary(HostTensor x, java.util.function.DoubleUnaryOperator real, java.util.function.LongUnaryOperator integer) {
    DType d = x.dtype();
    if (!supports(d)) throw new ShapeException("host arithmetic does not support dtype " + d);
    int n = Math.toIntExact(x.size());
    ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(n, d.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      switch (d) {
        case F32 -> out.putFloat((float) real.applyAsDouble(x.getDouble(i)));
        case F64 -> out.putDouble(real.applyAsDouble(x.getDouble(i)));
        case I32 -> out.putInt((int) integer.applyAsLong(x.getLong(i)));
        default -> out.putLong(integer.applyAsLong(x.getLong(i)));
      }
    }
    out.flip();
    return HostTensor.ofBuffer(d, x.shape(), out);
  }

  /**
   * {@code y[i] = (a[i] == b[i])} with broadcasting, as a BOOL tensor, for any dtype: floats compare as
   * IEEE numbers (NaN equals nothing, -0.0 equals 0.0), integers and bools by value.
   */
  public static HostTensor equal(HostTensor a, HostTensor b) {
    if (a.dtype() != b.dtype()) throw new ShapeException("operands differ in dtype: " + a.dtype() + " vs " + b.dtype());
    long[] shape = broadcastShape(a.shape(), b.shape());
    int n = Math.toIntExact(HostTensor.count(shape));
    int[] ia = sourceIndex(a.shape(), shape, n);
    int[] ib = sourceIndex(b.shape(), shape, n);
    boolean floating = a.dtype().isFloating();
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) {
      out[i] = floating ? a.getDouble(ia[i]) == b.getDouble(ib[i]) : a.getLong(ia[i]) == b.getLong(ib[i]);
    }
    return HostTensor.ofBooleans(out, shape);
  }

  private static int[] sourceIndex(long[] src, long[] outShape, int n) { return HostArrays.sourceIndex(src, outShape, n); }
}
