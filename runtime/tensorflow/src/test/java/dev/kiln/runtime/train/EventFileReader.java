package dev.kiln.runtime.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads TensorBoard event files for tests, independently of the writer: its own bitwise CRC-32C (the
 * writer uses java.util.zip.CRC32C), its own protobuf wire-format decoding (the writer uses protobuf-java),
 * and the field numbers written out again from tensorflow/core/util/event.proto and summary.proto. A bad
 * length or data CRC, a truncated record or an unknown wire type is an error.
 */
final class EventFileReader {
  private EventFileReader() {}

  /** One histogram (HistogramProto). */
  record Histo(double min, double max, double num, double sum, double sumSquares, List<Double> limits, List<Double> buckets) {}

  /** One Summary.Value: a tag and a simple_value or a histogram. */
  record Value(String tag, Float simple, Histo histo) {}

  /** One Event. */
  record Event(double wallTime, long step, String fileVersion, List<Value> values) {}

  /** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit as in RFC 3720's appendix. */
  static int crc32c(byte[] b, int off, int len) {
    int crc = 0xFFFFFFFF;
    for (int i = off; i < off + len; i++) {
      crc ^= b[i] & 0xFF;
      for (int k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
    }
    return ~crc;
  }

  static int masked(int crc) { return Integer.rotateRight(crc, 15) + 0xa282ead8; }

  static List<Event> read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 12) throw new IOException("truncated record header at byte " + in.position());
      byte[] header = new byte[8];
      in.get(header);
      long len = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (in.getInt() != masked(crc32c(header, 0, 8))) throw new IOException("bad length CRC at byte " + (in.position() - 12));
      if (len < 0 || len > in.remaining() - 4) throw new IOException("record length " + len + " runs past the end");
      byte[] data = new byte[(int) len];
      in.get(data);
      if (in.getInt() != masked(crc32c(data, 0, data.length))) throw new IOException("bad data CRC");
      events.add(event(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN)));
    }
    return events;
  }

  private static Event event(ByteBuffer b) throws IOException {
    double wall = 0;
    long step = 0;
    String version = null;
    List<Value> values = new ArrayList<>();
    while (b.hasRemaining()) {
      long key = varint(b);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field == 1 && wire == 1) wall = b.getDouble();
      else if (field == 2 && wire == 0) step = varint(b);
      else if (field == 3 && wire == 2) version = new String(bytes(b), StandardCharsets.UTF_8);
      else if (field == 5 && wire == 2) {
        ByteBuffer summary = sub(b);
        while (summary.hasRemaining()) {
          long k = varint(summary);
          if (k != ((1 << 3) | 2)) throw new IOException("unexpected Summary field key " + k);
          values.add(value(sub(summary)));
        }
      } else skip(b, wire);
    }
    return new Event(wall, step, version, values);
  }

  private static Value value(ByteBuffer b) throws IOException {
    String tag = null;
    Float simple = null;
    Histo histo = null;
    while (b.hasRemaining()) {
      long key = varint(b);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field == 1 && wire == 2) tag = new String(bytes(b), StandardCharsets.UTF_8);
      else if (field == 2 && wire == 5) simple = b.getFloat();
      else if (field == 5 && wire == 2) histo = histo(sub(b));
      else skip(b, wire);
    }
    return new Value(tag, simple, histo);
  }

  private static Histo histo(ByteBuffer b) throws IOException {
    double[] d = new double[6];
    List<Double> limits = new ArrayList<>();
    List<Double> buckets = new ArrayList<>();
    while (b.hasRemaining()) {
      long key = varint(b);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field >= 1 && field <= 5 && wire == 1) d[field] = b.getDouble();
      else if ((field == 6 || field == 7) && wire == 2) {
        ByteBuffer p = sub(b);
        while (p.hasRemaining()) (field == 6 ? limits : buckets).add(p.getDouble());
      } else skip(b, wire);
    }
    return new Histo(d[1], d[2], d[3], d[4], d[5], limits, buckets);
  }

  private static long varint(ByteBuffer b) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b.get();
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) return v;
    }
    throw new IOException("varint longer than 10 bytes");
  }

  private static byte[] bytes(ByteBuffer b) throws IOException {
    int n = Math.toIntExact(varint(b));
    if (n > b.remaining()) throw new IOException("length " + n + " runs past the message");
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static ByteBuffer sub(ByteBuffer b) throws IOException { return ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN); }

  private static void skip(ByteBuffer b, int wire) throws IOException {
    switch (wire) {
      case 0 -> varint(b);
      case 1 -> b.position(b.position() + 8);
      case 2 -> bytes(b);
      case 5 -> b.position(b.position() + 4);
      default -> throw new IOException("unknown wire type " + wire);
    }
  }
}
