package dev.kiln.runtime.data;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Rows of a host tensor picked by index along axis 0, not yet copied: a shuffled batch as its dataset
 * cut it. {@link #gather()} copies them into a host tensor; a back end can instead copy them straight
 * into its own tensor's memory with {@link #copyInto} (one pass over the bytes, no host batch between).
 */
public final class Rows {
  private final HostTensor source;
  private final int[] indices;
  private final int rowBytes;

  /**
   * The rows {@code indices} (in that order) of {@code source}, which must have an example axis.
   *
   * @throws KilnException when an index is outside the source's rows
   */
  public Rows(HostTensor source, int[] indices) {
    if (source.rank() == 0) throw new KilnException("rows need a tensor with an example axis (axis 0), got a scalar");
    long n = source.shape()[0];
    for (int i : indices) {
      if (i < 0 || i >= n) throw new KilnException("example index " + i + " is out of range 0.." + (n - 1));
    }
    this.source = source;
    this.indices = indices.clone();
    this.rowBytes = rowBytes(source);
  }

  /** The bytes of one example (row along axis 0) of {@code t}. */
  static int rowBytes(HostTensor t) {
    long[] s = t.shape();
    long per = 1;
    for (int i = 1; i < s.length; i++) per *= s[i];
    return Math.toIntExact(per * t.dtype().byteSize());
  }

  public DType dtype() { return source.dtype(); }

  /** The source's shape with axis 0 the number of rows. */
  public long[] shape() {
    long[] s = source.shape();
    s[0] = indices.length;
    return s;
  }

  public int count() { return indices.length; }

  /** The bytes of all rows together. */
  public long byteSize() { return (long) indices.length * rowBytes; }

  /**
   * Copies the rows, little-endian, to {@code dst} from its position on (which must have
   * {@link #byteSize()} bytes left); leaves the position unchanged.
   */
  public void copyInto(ByteBuffer dst) {
    if (dst.remaining() < byteSize()) {
      throw new KilnException("destination has " + dst.remaining() + " bytes left, the rows need " + byteSize());
    }
    ByteBuffer src = source.buffer();
    int at = dst.position();
    // NOTE: absolute bulk puts: one native copy per row, no slice objects and no per-element loop.
    for (int i : indices) {
      dst.put(at, src, i * rowBytes, rowBytes);
      at += rowBytes;
    }
  }

  /** The rows as a new host tensor. */
  public HostTensor gather() {
    ByteBuffer dst = ByteBuffer.allocate(Math.toIntExact(byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    copyInto(dst);
    return HostTensor.adopt(dtype(), shape(), dst);  // dst is ours alone: no second copy
  }
}
