package dev.kiln.spec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense tensor held in JVM memory: dtype, static shape and little-endian bytes. It is the one
 * currency for parameter values, constants, file contents (.npy, ONNX initializers) and runtime
 * inputs/outputs, so no module needs its own array type.
 */
public final class HostTensor {
  private final DType dtype;
  private final long[] shape;
  private final ByteBuffer data;

  private HostTensor(DType dtype, long[] shape, ByteBuffer data) {
    this.dtype = dtype;
    this.shape = shape.clone();
    long n = count(shape);
    if ((long) data.remaining() != n * dtype.byteSize()) {
      throw new KilnException("tensor of " + dtype + Arrays.toString(shape) + " needs " + n * dtype.byteSize()
          + " bytes, got " + data.remaining());
    }
    this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Element count of a shape, refusing negative or overflowing sizes. */
  public static long count(long[] shape) {
    long n = 1;
    for (long s : shape) {
      if (s < 0) throw new KilnException("negative dimension " + s + " in shape " + Arrays.toString(shape));
      n = Math.multiplyExact(n, s);
    }
    return n;
  }

  /** Wraps raw little-endian bytes (copied). */
  public static HostTensor ofBytes(DType dtype, long[] shape, byte[] littleEndian) {
    return new HostTensor(dtype, shape, ByteBuffer.wrap(littleEndian.clone()));
  }

  /** Wraps a little-endian buffer's remaining bytes (copied, so later writes to it do not leak in). */
  public static HostTensor ofBuffer(DType dtype, long[] shape, ByteBuffer littleEndian) {
    ByteBuffer copy = ByteBuffer.allocate(littleEndian.remaining());
    copy.put(littleEndian.duplicate()).flip();
    return new HostTensor(dtype, shape, copy);
  }

  /**
   * Wraps a little-endian buffer's remaining bytes without copying: for a buffer nobody writes any more
   * (one just filled and handed over, or a view of another host tensor's read-only bytes), e.g. the
   * batches a dataset gathers every step.
   */
  public static HostTensor adopt(DType dtype, long[] shape, ByteBuffer littleEndian) {
    return new HostTensor(dtype, shape, littleEndian);
  }

  public static HostTensor ofFloats(float[] v, long... shape) {
    ByteBuffer b = alloc(v.length, 4);
    b.asFloatBuffer().put(v);
    return new HostTensor(DType.F32, shape, b);
  }

  public static HostTensor ofDoubles(double[] v, long... shape) {
    ByteBuffer b = alloc(v.length, 8);
    b.asDoubleBuffer().put(v);
    return new HostTensor(DType.F64, shape, b);
  }

  public static HostTensor ofLongs(long[] v, long... shape) {
    ByteBuffer b = alloc(v.length, 8);
    b.asLongBuffer().put(v);
    return new HostTensor(DType.I64, shape, b);
  }

  public static HostTensor ofInts(int[] v, long... shape) {
    ByteBuffer b = alloc(v.length, 4);
    b.asIntBuffer().put(v);
    return new HostTensor(DType.I32, shape, b);
  }

  public static HostTensor ofBooleans(boolean[] v, long... shape) {
    ByteBuffer b = alloc(v.length, 1);
    for (boolean x : v) b.put((byte) (x ? 1 : 0));
    b.flip();
    return new HostTensor(DType.BOOL, shape, b);
  }

  /** A scalar of the given dtype holding {@code value} (rounded or truncated as a cast would). */
  public static HostTensor scalar(DType dtype, double value) {
    return filled(dtype, new long[0], value);
  }

  /** A tensor of the given dtype and shape with every element {@code value}. */
  public static HostTensor filled(DType dtype, long[] shape, double value) {
    int n = Math.toIntExact(count(shape));
    ByteBuffer b = alloc(n, dtype.byteSize());
    for (int i = 0; i < n; i++) put(b, dtype, i, value);
    return new HostTensor(dtype, shape, b);
  }

  /** A tensor built element by element from doubles, converted to {@code dtype}. */
  public static HostTensor fromDoubles(DType dtype, double[] v, long... shape) {
    ByteBuffer b = alloc(v.length, dtype.byteSize());
    for (int i = 0; i < v.length; i++) put(b, dtype, i, v[i]);
    return new HostTensor(dtype, shape, b);
  }

  private static ByteBuffer alloc(int n, int width) {
    return ByteBuffer.allocate(Math.multiplyExact(n, width)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void put(ByteBuffer b, DType t, int i, double v) {
    int at = i * t.byteSize();
    switch (t) {
      case F32 -> b.putFloat(at, (float) v);
      case F64 -> b.putDouble(at, v);
      case F16 -> b.putShort(at, Half.fromFloat((float) v));
      case BF16 -> b.putShort(at, (short) (Float.floatToIntBits((float) v) >>> 16));
      case I8, U8 -> b.put(at, (byte) (long) v);
      case I16, U16 -> b.putShort(at, (short) (long) v);
      case U32 -> b.putInt(at, (int) (long) v);
      // NOTE: doubles of 2^63 and above do not fit a long: they are stored by their unsigned bits.
      case U64 -> b.putLong(at, v >= 0x1p63 ? (long) (v - 0x1p63) ^ Long.MIN_VALUE : (long) v);
      case I32 -> b.putInt(at, (int) (long) v);
      case I64 -> b.putLong(at, (long) v);
      case BOOL -> b.put(at, (byte) (v != 0 ? 1 : 0));
    }
  }

  public DType dtype() { return dtype; }

  public long[] shape() { return shape.clone(); }

  public int rank() { return shape.length; }

  public long size() { return count(shape); }

  public TensorType type() { return new TensorType(dtype, Shape.of(shape)); }

  /** A read-only little-endian view of the bytes, positioned at 0. */
  public ByteBuffer buffer() { return data.duplicate().order(ByteOrder.LITTLE_ENDIAN); }

  /** A copy of the raw little-endian bytes. */
  public byte[] bytes() {
    byte[] out = new byte[data.remaining()];
    buffer().get(out);
    return out;
  }

  /** Element {@code i} (flat, row-major) widened to double. */
  public double getDouble(int i) {
    int at = i * dtype.byteSize();
    return switch (dtype) {
      case F32 -> data.getFloat(at);
      case F64 -> data.getDouble(at);
      case F16 -> Half.toFloat(data.getShort(at));
      case BF16 -> Float.intBitsToFloat((data.getShort(at) & 0xffff) << 16);
      case I8 -> data.get(at);
      case U8 -> data.get(at) & 0xff;
      case I16 -> data.getShort(at);
      case U16 -> data.getShort(at) & 0xffff;
      case U32 -> data.getInt(at) & 0xffffffffL;
      case U64 -> unsignedToDouble(data.getLong(at));
      case I32 -> data.getInt(at);
      case I64 -> data.getLong(at);
      case BOOL -> data.get(at) != 0 ? 1 : 0;
    };
  }

  /** Element {@code i} as long (exact for integer dtypes). */
  public long getLong(int i) {
    int at = i * dtype.byteSize();
    return switch (dtype) {
      case I64 -> data.getLong(at);
      case I32 -> data.getInt(at);
      case U32 -> data.getInt(at) & 0xffffffffL;
      // NOTE: u64 values of 2^63 and above come back as the negative long with the same bits.
      case U64 -> data.getLong(at);
      default -> (long) getDouble(i);
    };
  }

  public float[] toFloats() {
    float[] out = new float[Math.toIntExact(size())];
    if (dtype == DType.F32) buffer().asFloatBuffer().get(out);
    else for (int i = 0; i < out.length; i++) out[i] = (float) getDouble(i);
    return out;
  }

  public double[] toDoubles() {
    double[] out = new double[Math.toIntExact(size())];
    for (int i = 0; i < out.length; i++) out[i] = getDouble(i);
    return out;
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
  }

  public long[] toLongs() {
    long[] out = new long[Math.toIntExact(size())];
    for (int i = 0; i < out.length; i++) out[i] = getLong(i);
    return out;
  }

  /** Same bytes, new shape of equal element count. */
  public HostTensor reshape(long... newShape) {
    if (count(newShape) != size()) {
      throw new KilnException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
    }
    return new HostTensor(dtype, newShape, buffer());
  }

  @Override public boolean equals(Object o) {
    return o instanceof HostTensor t && t.dtype == dtype && Arrays.equals(t.shape, shape) && t.buffer().equals(buffer());
  }

  @Override public int hashCode() { return Arrays.hashCode(shape) * 31 + buffer().hashCode(); }

  @Override public String toString() {
    StringBuilder b = new StringBuilder(dtype + Arrays.toString(shape) + " {");
    long n = Math.min(size(), 8);
    for (int i = 0; i < n; i++) b.append(i > 0 ? ", " : "").append(dtype.isFloating() ? getDouble(i) : getLong(i));
    if (size() > n) b.append(", ...");
    return b.append('}').toString();
  }
}
