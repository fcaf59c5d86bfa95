package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Data movement on {@link HostTensor}s for folders: gathers, concatenation, broadcasting and selection copy
 * elements byte for byte, so they are exact for every dtype. Sizes are the caller's to bound
 * ({@link Folding#fits}).
 */
public final class HostArrays {
  private HostArrays() {}

  /** {@code v} wrapped to the width of integer dtype {@code d}, as a C cast narrows. */
  public static long narrow(DType d, long v) {
    return switch (d) {
      case I8 -> (byte) v;
      case U8 -> v & 0xff;
      case I16 -> (short) v;
      case U16 -> v & 0xffff;
      case I32 -> (int) v;
      case U32 -> v & 0xffffffffL;
      default -> v;
    };
  }

  /** An integer tensor of {@code dtype} holding {@code v} (narrowed), without a detour through doubles. */
  public static HostTensor ofLongs(DType dtype, long[] v, long[] shape) {
    if (!dtype.isInteger()) throw new IllegalArgumentException("not an integer dtype: " + dtype);
    ByteBuffer b = ByteBuffer.allocate(v.length * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      switch (dtype.byteSize()) {
        case 1 -> b.put((byte) x);
        case 2 -> b.putShort((short) x);
        case 4 -> b.putInt((int) x);
        default -> b.putLong(x);
      }
    }
    b.flip();
    return HostTensor.ofBuffer(dtype, shape, b);
  }

  static long product(long[] shape, int from, int to) {
    long n = 1;
    for (int i = from; i < to; i++) n *= shape[i];
    return n;
  }

  /**
   * Slices of {@code data} along {@code axis} at {@code indices} (an index in [-n, -1] counts from the end):
   * shape data[:axis] + indexShape + data[axis+1:]. An index out of range is a {@link ShapeException}.
   */
  public static HostTensor gather(HostTensor data, int axis, long[] indices, long[] indexShape) {
    long[] ds = data.shape();
    long rows = ds[axis];
    long outer = product(ds, 0, axis);
    int inner = Math.toIntExact(product(ds, axis + 1, ds.length) * data.dtype().byteSize());
    long[] shape = new long[ds.length - 1 + indexShape.length];
    System.arraycopy(ds, 0, shape, 0, axis);
    System.arraycopy(indexShape, 0, shape, axis, indexShape.length);
    System.arraycopy(ds, axis + 1, shape, axis + indexShape.length, ds.length - axis - 1);
    int[] src = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      long r = indices[k] < 0 ? indices[k] + rows : indices[k];
      if (r < 0 || r >= rows) throw new ShapeException("index " + indices[k] + " is out of range for an axis of size " + rows);
      src[k] = (int) r;
    }
    byte[] in = data.bytes();
    byte[] out = new byte[Math.toIntExact(outer * indices.length * inner)];
    int at = 0;
    for (long o = 0; o < outer; o++) {
      long base = o * rows * inner;
      for (int r : src) {
        System.arraycopy(in, (int) (base + (long) r * inner), out, at, inner);
        at += inner;
      }
    }
    return HostTensor.ofBytes(data.dtype(), shape, out);
  }

  /** {@code parts} (one dtype, equal shapes off the axis) joined along {@code axis}. */
  public static HostTensor concat(List<HostTensor> parts, int axis) {
    HostTensor first = parts.get(0);
    long[] shape = first.shape();
    long outer = product(shape, 0, axis);
    long total = 0;
    byte[][] bytes = new byte[parts.size()][];
    int[] chunk = new int[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      long[] s = parts.get(i).shape();
      total += s[axis];
      bytes[i] = parts.get(i).bytes();
      chunk[i] = Math.toIntExact(product(s, axis, s.length) * first.dtype().byteSize());
    }
    shape[axis] = total;
    byte[] out = new byte[Math.toIntExact(HostTensor.count(shape) * first.dtype().byteSize())];
    int at = 0;
    for (long o = 0; o < outer; o++) {
      for (int i = 0; i < parts.size(); i++) {
        System.arraycopy(bytes[i], (int) (o * chunk[i]), out, at, chunk[i]);
        at += chunk[i];
      }
    }
    return HostTensor.ofBytes(first.dtype(), shape, out);
  }

  /** {@code t} broadcast (NumPy rules) to {@code shape}, which must be a broadcast of t's shape. */
  public static HostTensor broadcastTo(HostTensor t, long[] shape) {
    int n = Math.toIntExact(HostTensor.count(shape));
    int w = t.dtype().byteSize();
    int[] idx = sourceIndex(t.shape(), shape, n);
    byte[] in = t.bytes();
    byte[] out = new byte[n * w];
    for (int i = 0; i < n; i++) System.arraycopy(in, idx[i] * w, out, i * w, w);
    return HostTensor.ofBytes(t.dtype(), shape, out);
  }

  /** {@code a} where {@code cond} (BOOL) else {@code b}, all three broadcast together. */
  public static HostTensor where(HostTensor cond, HostTensor a, HostTensor b) {
    long[] shape = HostMath.broadcastShape(HostMath.broadcastShape(cond.shape(), a.shape()), b.shape());
    int n = Math.toIntExact(HostTensor.count(shape));
    int w = a.dtype().byteSize();
    int[] ic = sourceIndex(cond.shape(), shape, n);
    int[] ia = sourceIndex(a.shape(), shape, n);
    int[] ib = sourceIndex(b.shape(), shape, n);
    byte[] ba = a.bytes();
    byte[] bb = b.bytes();
    byte[] out = new byte[n * w];
    for (int i = 0; i < n; i++) {
      boolean pick = cond.getDouble(ic[i]) != 0;
      System.arraycopy(pick ? ba : bb, (pick ? ia[i] : ib[i]) * w, out, i * w, w);
    }
    return HostTensor.ofBytes(a.dtype(), shape, out);
  }

  /**
   * For each flat index of {@code outShape}, the flat index of the element of a {@code src}-shaped tensor
   * that NumPy broadcasting reads there.
   */
  public static int[] sourceIndex(long[] src, long[] outShape, int n) {
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

  /** The shape as text, for messages. */
  static String text(long[] shape) { return Arrays.toString(shape); }
}
