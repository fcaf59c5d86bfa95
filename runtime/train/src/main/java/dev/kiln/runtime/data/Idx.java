package dev.kiln.runtime.data;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST container: {@code 00 00 <type> <rank>}, then {@code rank} big-endian
 * 32-bit dimensions, then big-endian elements) into {@link HostTensor}s. Gzipped files are recognised
 * by their magic bytes ({@code 1f 8b}), not by their name.
 *
 * <p>Element types: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64. The header is never
 * trusted for allocation: a plain file's payload must fit the file's size before anything is
 * allocated, and a gzipped payload is read in growing chunks, so a lying header costs only the bytes
 * actually present.
 */
public final class Idx {
  /** Largest payload a {@link HostTensor} (one byte buffer) can hold. */
  static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;

  private Idx() {}

  /** Reads an IDX file, plain or gzipped. */
  public static HostTensor read(Path file) {
    String name = file.toString();
    if (!Files.isRegularFile(file)) throw new ModelFileException("IDX file " + name + " does not exist or is not a file");
    try {
      long fileSize = Files.size(file);
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gz = b0 == 0x1f && b1 == 0x8b;
        if (gz) {
          try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
            return read(in, name, -1, gzipSizeHint(file, fileSize));
          }
        }
        return read(raw, name, fileSize);
      }
    } catch (ZipException | java.io.EOFException e) {
      throw new ModelFileException("IDX file " + name + " is a damaged or truncated gzip stream: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ModelFileException("cannot read IDX file " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads IDX content from a stream. {@code knownSize} is the stream's total length when known (a
   * plain file), else -1; {@code name} is used in error messages.
   */
  public static HostTensor read(InputStream in, String name, long knownSize) throws IOException {
    return read(in, name, knownSize, -1);
  }

  /**
   * As {@link #read(InputStream, String, long)}, with {@code sizeHint} the stream's probable length when its
   * exact length is unknown (a gzip trailer's ISIZE), else -1: the payload buffer starts at that size, capped at
   * the header's payload, so a good hint reads it with no regrowth and no trimming copy, and a lying one costs
   * only a wrong first guess (the buffer still grows only as bytes arrive).
   */
  static HostTensor read(InputStream in, String name, long knownSize, long sizeHint) throws IOException {
    byte[] head = readUpTo(in, 4, 4);
    if (head.length < 4) throw new ModelFileException("IDX file " + name + " is truncated: " + head.length + " bytes, no complete header");
    if (head[0] != 0 || head[1] != 0) {
      throw new ModelFileException(String.format("IDX file %s has bad magic %02x %02x (expected 00 00)", name, head[0], head[1]));
    }
    DType dtype = dtypeOf(head[2] & 0xff, name);
    int rank = head[3] & 0xff;
    byte[] dimBytes = readUpTo(in, rank * 4, rank * 4);
    if (dimBytes.length < rank * 4) {
      throw new ModelFileException("IDX file " + name + " is truncated in its header: " + rank + " dimensions declared, "
          + dimBytes.length / 4 + " present");
    }
    ByteBuffer dims = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
    long[] shape = new long[rank];
    long payload = dtype.byteSize();
    for (int i = 0; i < rank; i++) {
      int d = dims.getInt();
      if (d < 0) throw new ModelFileException("IDX file " + name + " has negative dimension " + d + " at axis " + i);
      shape[i] = d;
      // NOTE: the product is checked as it grows, so a header of huge dims cannot overflow a long.
      payload = Math.multiplyExact(payload, (long) d);
      if (payload > MAX_PAYLOAD) {
        throw new ModelFileException("IDX file " + name + " declares shape " + Arrays.toString(Arrays.copyOf(shape, i + 1))
            + "..., more than " + MAX_PAYLOAD + " bytes");
      }
    }
    long headerSize = 4L + 4L * rank;
    if (knownSize >= 0 && knownSize - headerSize < payload) {
      throw new ModelFileException("IDX file " + name + " is truncated: shape " + Arrays.toString(shape) + " of " + dtype
          + " needs " + payload + " data bytes but the file has " + (knownSize - headerSize));
    }
    int n = (int) payload;
    long hinted = sizeHint >= 0 ? sizeHint - headerSize : -1;
    int initial = knownSize >= 0 ? n : hinted > 0 ? (int) Math.min(n, hinted) : Math.min(n, 1 << 20);
    byte[] data = readUpTo(in, n, initial);
    if (data.length < n) {
      throw new ModelFileException("IDX file " + name + " is truncated: shape " + Arrays.toString(shape) + " of " + dtype
          + " needs " + n + " data bytes, found " + data.length);
    }
    if (in.read() != -1) {
      throw new ModelFileException("IDX file " + name + " has trailing bytes after the " + n + " data bytes of shape "
          + Arrays.toString(shape));
    }
    // NOTE: adopted, not copied: data is this method's own array (a second copy of the training set cost memory).
    return HostTensor.adopt(dtype, shape, toLittleEndian(dtype, data));
  }

  /**
   * A gzip file's uncompressed length mod 2^32 from its last 4 bytes (ISIZE, little-endian), or -1 when the file
   * is too short; only a hint for the first buffer ({@link #read(InputStream, String, long, long)}).
   */
  static long gzipSizeHint(Path file, long fileSize) {
    if (fileSize < 18) return -1;
    // NOTE: capped at 16x the compressed size, so a forged trailer (with a header that lies too) still cannot make
    // the first buffer much larger than the file itself; real IDX files compress 2-3x.
    return Math.min(trailerSize(file, fileSize), MAX_HINT_RATIO * fileSize);
  }

  /** How many times its compressed size a gzip file's trailer may claim before {@link #gzipSizeHint} caps it. */
  static final long MAX_HINT_RATIO = 16;

  private static long trailerSize(Path file, long fileSize) {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      while (tail.hasRemaining() && ch.read(tail, fileSize - 4 + tail.position()) > 0) { }
      return tail.hasRemaining() ? -1 : Integer.toUnsignedLong(tail.getInt(0));
    } catch (IOException e) {
      return -1;
    }
  }

  /** The element type for an IDX type code. */
  static DType dtypeOf(int code, String name) {
    return switch (code) {
      case 0x08 -> DType.U8;
      case 0x09 -> DType.I8;
      case 0x0B -> DType.I16;
      case 0x0C -> DType.I32;
      case 0x0D -> DType.F32;
      case 0x0E -> DType.F64;
      default -> throw new ModelFileException(String.format(
          "IDX file %s has unknown element type 0x%02x (expected 0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, 0x0e f64)",
          name, code));
    };
  }

  /** The IDX type code of a dtype (the inverse of {@link #dtypeOf}). */
  static int codeOf(DType t) {
    return switch (t) {
      case U8 -> 0x08;
      case I8 -> 0x09;
      case I16 -> 0x0B;
      case I32 -> 0x0C;
      case F32 -> 0x0D;
      case F64 -> 0x0E;
      default -> throw new ModelFileException("IDX has no element type for " + t);
    };
  }

  /**
   * Reads at most {@code max} bytes, growing the buffer from {@code initial} as bytes actually arrive,
   * so the allocation follows the data present rather than a declared size.
   */
  private static byte[] readUpTo(InputStream in, int max, int initial) throws IOException {
    byte[] buf = new byte[Math.max(0, Math.min(max, initial))];
    int len = 0;
    while (len < max) {
      if (len == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max(16L, 2L * buf.length)));
      int r = in.read(buf, len, buf.length - len);
      if (r < 0) break;
      len += r;
    }
    return len == buf.length ? buf : Arrays.copyOf(buf, len);
  }

  private static ByteBuffer toLittleEndian(DType t, byte[] bigEndian) {
    ByteBuffer src = ByteBuffer.wrap(bigEndian).order(ByteOrder.BIG_ENDIAN);
    if (t.byteSize() == 1) return src;
    ByteBuffer dst = ByteBuffer.allocate(bigEndian.length).order(ByteOrder.LITTLE_ENDIAN);
    switch (t) {
      case I16 -> dst.asShortBuffer().put(src.asShortBuffer());
      case I32 -> dst.asIntBuffer().put(src.asIntBuffer());
      case F32 -> dst.asFloatBuffer().put(src.asFloatBuffer());
      case F64 -> dst.asDoubleBuffer().put(src.asDoubleBuffer());
      default -> throw new IllegalStateException("no IDX type " + t);
    }
    return dst;
  }

  /** Writes a tensor as a plain IDX byte array (used by tests and to export small data). */
  public static byte[] encode(HostTensor t) {
    int code = codeOf(t.dtype());
    ByteBuffer out = ByteBuffer.allocate(4 + 4 * t.rank() + (int) t.size() * t.dtype().byteSize()).order(ByteOrder.BIG_ENDIAN);
    out.put((byte) 0).put((byte) 0).put((byte) code).put((byte) t.rank());
    for (long d : t.shape()) out.putInt(Math.toIntExact(d));
    ByteBuffer src = t.buffer();
    switch (t.dtype()) {
      case U8, I8 -> out.put(src);
      case I16 -> out.asShortBuffer().put(src.asShortBuffer());
      case I32 -> out.asIntBuffer().put(src.asIntBuffer());
      case F32 -> out.asFloatBuffer().put(src.asFloatBuffer());
      case F64 -> out.asDoubleBuffer().put(src.asDoubleBuffer());
      default -> throw new IllegalStateException();
    }
    return out.array();
  }
}
