package dev.kiln.samples.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Format-blind mutations of a file's bytes, as a byte-level fuzzer makes them: bit flips, interesting
 * bytes and little-endian integers (0, -1, sign boundaries, 2^31, 2^62) written over what was there,
 * chunks deleted, duplicated or inserted, and truncation. One call applies one to four of them.
 */
final class ByteMutator {
  private static final long[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, Integer.MAX_VALUE,
      Integer.MIN_VALUE, 0xffffffffL, 1L << 31, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE};

  private ByteMutator() {}

  static byte[] mutate(byte[] in, SplittableRandom r) {
    byte[] b = in.length == 0 ? new byte[] {0} : in.clone();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n && b.length > 0; i++) b = once(b, r);
    return b;
  }

  private static byte[] once(byte[] b, SplittableRandom r) {
    int at = r.nextInt(b.length);
    switch (r.nextInt(8)) {
      case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
      case 1 -> b[at] = (byte) INTERESTING[r.nextInt(6)];
      case 2 -> { // an integer of 1, 2, 4 or 8 bytes
        int width = 1 << r.nextInt(4);
        ByteBuffer v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(INTERESTING[r.nextInt(INTERESTING.length)]);
        for (int k = 0; k < width && at + k < b.length; k++) b[at + k] = v.get(k);
      }
      case 3 -> { // delete a chunk
        int len = Math.min(b.length - at, 1 + r.nextInt(Math.max(1, b.length / 8)));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        return out;
      }
      case 4 -> { // duplicate a chunk in place
        int len = Math.min(b.length - at, 1 + r.nextInt(64));
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, at + len);
        System.arraycopy(b, at, out, at + len, b.length - at);
        return out;
      }
      case 5 -> { // insert random bytes
        int len = 1 + r.nextInt(16);
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, at);
        for (int k = 0; k < len; k++) out[at + k] = (byte) r.nextInt(256);
        System.arraycopy(b, at, out, at + len, b.length - at);
        return out;
      }
      case 6 -> { return Arrays.copyOf(b, at); } // truncate
      default -> { // copy a chunk over another place
        int from = r.nextInt(b.length);
        int len = Math.min(Math.min(b.length - from, b.length - at), 1 + r.nextInt(32));
        System.arraycopy(b, from, b, at, len);
      }
    }
    return b;
  }
}
