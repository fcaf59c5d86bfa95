package dev.kiln.samples.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Structural mutations of the two header-plus-bytes formats: the JSON header of a safetensors file and the
 * Python-dict header of a {@code .npy} file. Numbers (shapes, offsets) become interesting values, dtype names
 * are swapped, text is cut, and the header-length field is changed, so the reader's size checks are reached.
 */
final class HeaderMutator {
  private static final Pattern NUMBER = Pattern.compile("-?\\d+");
  private static final String[] NUMBERS = {"0", "1", "-1", "3", "4294967296", "9223372036854775807", "99999999999999999999",
      "2147483647", "1099511627776", "-9223372036854775808"};
  private static final String[] ST_DTYPES = {"F32", "F64", "F16", "BF16", "I8", "U8", "I16", "I32", "I64", "BOOL", "U64", "F8_E4M3", "XYZ", ""};
  private static final String[] NPY_DESCR = {"<f4", ">f4", "<f8", "<i8", "|b1", "|u1", "<f2", "|O", "<U8", "<c8", "V8", "<i4", "x"};

  private HeaderMutator() {}

  static byte[] safetensors(byte[] f, SplittableRandom r) {
    if (f.length < 8) return ByteMutator.mutate(f, r);
    ByteBuffer bb = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    long len = bb.getLong(0);
    if (len < 2 || len > f.length - 8) return ByteMutator.mutate(f, r);
    String header = new String(f, 8, (int) len, StandardCharsets.UTF_8);
    if (r.nextInt(5) == 0) { // the length field alone
      byte[] out = f.clone();
      ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, new long[] {0, 1, len - 1, len + 1, f.length, Long.MAX_VALUE, -1}[r.nextInt(7)]);
      return out;
    }
    String h = r.nextBoolean() ? number(header, r) : header.replaceFirst("\"dtype\":\"[A-Z0-9_]*\"", "\"dtype\":\"" + ST_DTYPES[r.nextInt(ST_DTYPES.length)] + "\"");
    if (r.nextInt(6) == 0) h = h.substring(0, r.nextInt(h.length() + 1));
    byte[] hb = h.getBytes(StandardCharsets.UTF_8);
    byte[] data = java.util.Arrays.copyOfRange(f, 8 + (int) len, f.length);
    return ByteBuffer.allocate(8 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).put(hb).put(data).array();
  }

  static byte[] npy(byte[] f, SplittableRandom r) {
    if (f.length < 10) return ByteMutator.mutate(f, r);
    int major = f[6];
    int lenBytes = major >= 2 ? 4 : 2;
    if (f.length < 8 + lenBytes) return ByteMutator.mutate(f, r);
    ByteBuffer bb = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    long len = lenBytes == 2 ? Short.toUnsignedInt(bb.getShort(8)) : Integer.toUnsignedLong(bb.getInt(8));
    int start = 8 + lenBytes;
    if (len > f.length - start) return ByteMutator.mutate(f, r);
    if (r.nextInt(5) == 0) {
      byte[] out = f.clone();
      out[6] = (byte) r.nextInt(0, 5);
      return out;
    }
    String header = new String(f, start, (int) len, StandardCharsets.ISO_8859_1);
    String h = switch (r.nextInt(4)) {
      case 0 -> number(header, r);
      case 1 -> header.replaceFirst("'descr': '[^']*'", "'descr': '" + NPY_DESCR[r.nextInt(NPY_DESCR.length)] + "'");
      case 2 -> header.replace("False", r.nextBoolean() ? "True" : "None");
      default -> header.replaceFirst("\\(([^)]*)\\)", "(" + new String[] {"", "0,", "-1,", "3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33",
          "4294967296, 4294967296", "(1,)", "'a'"}[r.nextInt(6)] + ")");
    };
    byte[] hb = h.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer out = ByteBuffer.allocate(start + hb.length + f.length - start - (int) len).order(ByteOrder.LITTLE_ENDIAN);
    out.put(f, 0, 8);
    if (lenBytes == 2) out.putShort((short) hb.length);
    else out.putInt(hb.length);
    out.put(hb).put(f, start + (int) len, f.length - start - (int) len);
    return out.array();
  }

  private static String number(String s, SplittableRandom r) {
    Matcher m = NUMBER.matcher(s);
    int count = 0;
    while (m.find()) count++;
    if (count == 0) return s;
    int pick = r.nextInt(count);
    m.reset();
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (m.find()) {
      m.appendReplacement(b, i++ == pick ? NUMBERS[r.nextInt(NUMBERS.length)] : m.group());
    }
    m.appendTail(b);
    return b.toString();
  }
}
