package dev.kiln.runtime.io;

import dev.kiln.compiler.io.AtomicFiles;
import dev.kiln.compiler.io.ReadLimits;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) as {@link HostTensor}s:
 * bool, int8, uint8, int16, int32, int64, float16, float32 and float64 of any rank, little- or
 * big-endian. Fortran-order arrays are transposed into C order. Object arrays (pickles) and
 * structured dtypes are refused; nothing in a file is ever executed. Sizes are checked against the
 * file before any buffer is allocated.
 */
public final class Npy {
  /** The largest header accepted (NumPy itself writes a few hundred bytes). */
  public static final int MAX_HEADER_BYTES = 1 << 20;
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;

  private Npy() {}

  /** Reads a {@code .npy} file. */
  public static HostTensor read(Path path) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return parse(new Input() {
        @Override public long size() throws IOException { return ch.size(); }

        @Override public ByteBuffer next(int n, String what) throws IOException {
          ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
          while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw truncated(path.toString(), what);
          }
          return b.flip();
        }
      }, path.toString());
    } catch (NoSuchFileException e) {
      throw new ModelFileException(path + ": no such .npy file");
    } catch (IOException e) {
      throw new ModelFileException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses the bytes of a {@code .npy} file; {@code source} names it in error messages. */
  public static HostTensor fromBytes(byte[] bytes, String source) {
    ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      return parse(new Input() {
        @Override public long size() { return bytes.length; }

        @Override public ByteBuffer next(int n, String what) {
          if (all.remaining() < n) throw truncated(source, what);
          ByteBuffer b = all.slice().limit(n).order(ByteOrder.LITTLE_ENDIAN);
          all.position(all.position() + n);
          return b;
        }
      }, source);
    } catch (IOException e) {
      throw new ModelFileException(source + ": cannot read: " + e.getMessage(), e); // unreachable for bytes
    }
  }

  /** Where the bytes come from: a file or an array. {@code next} returns exactly n bytes or throws. */
  private interface Input {
    long size() throws IOException;

    ByteBuffer next(int n, String what) throws IOException;
  }

  private static HostTensor parse(Input in, String source) throws IOException {
    long fileSize = in.size();
    ByteBuffer pre = in.next(8, "the magic string and version");
    checkMagic(pre, source);
    int major = pre.get(6);
    int prefix = major == 1 ? 10 : 12;
    ByteBuffer len = in.next(prefix - 8, "the header length");
    long headerLen = major == 1 ? len.getShort(0) & 0xffff : len.getInt(0) & 0xffffffffL;
    int hl = checkedHeader(headerLen, fileSize - prefix, source);
    ByteBuffer hb = in.next(hl, "the header");
    byte[] text = new byte[hl];
    hb.get(text);
    // Versions 1.0 and 2.0 store the header as latin-1, 3.0 as UTF-8.
    NpyHeader.Fields h = NpyHeader.parse(new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), source);
    NpyDtype t = NpyDtype.parse(h.descr(), source);
    int dataBytes = dataBytes(h.shape(), t.dtype(), source);
    ReadLimits.defaults().checkTensorBytes(source + ": the array", dataBytes);
    long remaining = fileSize - prefix - hl;
    if (remaining != dataBytes) throw sizeMismatch(source, h.shape(), t, dataBytes, remaining);
    return assemble(in.next(dataBytes, "the data"), t, h, source);
  }

  private static void checkMagic(ByteBuffer pre, String source) {
    byte[] magic = new byte[6];
    pre.duplicate().get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new ModelFileException(source + ": not a .npy file (it does not start with \\x93NUMPY)");
    }
    if (pre.get(6) < 1 || pre.get(6) > 3) {
      throw new ModelFileException(source + ": unsupported .npy format version " + pre.get(6) + "." + pre.get(7)
          + " (supported: 1.0, 2.0, 3.0)");
    }
  }

  private static int checkedHeader(long headerLen, long available, String source) {
    if (headerLen > MAX_HEADER_BYTES) {
      throw new ModelFileException(source + ": .npy header length " + headerLen + " exceeds the limit of "
          + MAX_HEADER_BYTES + " bytes (corrupt file?)");
    }
    if (headerLen > available) {
      throw new ModelFileException(source + ": truncated .npy file: the header needs " + headerLen
          + " bytes but only " + Math.max(available, 0) + " remain");
    }
    return (int) headerLen;
  }

  private static int dataBytes(long[] shape, DType dtype, String source) {
    try {
      long n = Math.multiplyExact(HostTensor.count(shape), dtype.byteSize());
      if (n > Integer.MAX_VALUE - 16) {
        throw new ModelFileException(source + ": array of shape " + Arrays.toString(shape) + " needs " + n
            + " bytes, more than one host tensor can hold (2 GiB)");
      }
      return (int) n;
    } catch (ArithmeticException e) {
      throw new ModelFileException(source + ": array shape " + Arrays.toString(shape) + " is too large");
    }
  }

  private static ModelFileException sizeMismatch(String source, long[] shape, NpyDtype t, long need, long have) {
    String what = have < need ? "truncated .npy file" : ".npy file has trailing bytes";
    return new ModelFileException(source + ": " + what + ": shape " + Arrays.toString(shape) + " of " + t.descr()
        + " needs " + need + " data bytes, found " + have);
  }

  private static HostTensor assemble(ByteBuffer data, NpyDtype t, NpyHeader.Fields h, String source) {
    byte[] le = new byte[data.remaining()];
    data.get(le);
    t.toLittleEndian(le);
    if (!h.fortranOrder() || h.shape().length < 2) return HostTensor.ofBytes(t.dtype(), h.shape(), le);
    return HostTensor.ofBytes(t.dtype(), h.shape(), fortranToC(le, h.shape(), t.dtype().byteSize()));
  }

  /**
   * Reorders column-major (Fortran) bytes into row-major: element (i0..in-1) sits at offset
   * sum(ik * stride_k) with stride_0 = 1 and stride_k = stride_{k-1} * d_{k-1}.
   */
  static byte[] fortranToC(byte[] f, long[] shape, int width) {
    int rank = shape.length;
    long[] stride = new long[rank];
    long s = 1;
    for (int k = 0; k < rank; k++) { stride[k] = s; s *= shape[k]; }
    byte[] c = new byte[f.length];
    long[] idx = new long[rank];
    int n = f.length / width;
    for (int i = 0; i < n; i++) {
      long off = 0;
      for (int k = 0; k < rank; k++) off += idx[k] * stride[k];
      System.arraycopy(f, (int) off * width, c, i * width, width);
      for (int k = rank - 1; k >= 0 && ++idx[k] == shape[k]; k--) idx[k] = 0; // row-major odometer
    }
    return c;
  }

  /** The bytes of a {@code .npy} file holding {@code t} (format 1.0 unless the header needs more). */
  public static byte[] toBytes(HostTensor t) {
    NpyDtype d = NpyDtype.of(t.dtype());
    StringBuilder shape = new StringBuilder("(");
    long[] dims = t.shape();
    for (int i = 0; i < dims.length; i++) shape.append(i > 0 ? ", " : "").append(dims[i]);
    if (dims.length == 1) shape.append(',');
    shape.append(')');
    String dict = "{'descr': '" + d.descr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int major = dict.length() + 1 + 10 > 0xffff ? 2 : 1;
    int prefix = major == 1 ? 10 : 12;
    int pad = (ALIGN - (prefix + dict.length() + 1) % ALIGN) % ALIGN;
    byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] data = t.bytes();
    ByteBuffer out = ByteBuffer.allocate(prefix + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) out.putShort((short) header.length); else out.putInt(header.length);
    return out.put(header).put(data).array();
  }

  /** Writes {@code t} to {@code path} atomically. */
  public static void write(Path path, HostTensor t) {
    try {
      AtomicFiles.write(path, toBytes(t));
    } catch (IOException e) {
      throw new KilnException(path + ": cannot write .npy file: " + e.getMessage(), e);
    }
  }

  private static ModelFileException truncated(String source, String what) {
    return new ModelFileException(source + ": truncated .npy file: it ends inside " + what);
  }
}
