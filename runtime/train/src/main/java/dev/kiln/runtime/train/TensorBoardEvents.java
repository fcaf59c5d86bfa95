package dev.kiln.runtime.train;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes the few TensorFlow protobuf messages an event file needs, field by field with protobuf-java's
 * {@link CodedOutputStream} (generating classes for three messages would add a schema copy and a build
 * step for no gain). Field numbers are those of tensorflow/core/util/event.proto and
 * tensorflow/core/framework/summary.proto:
 * <pre>
 * Event     { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 * Summary   { repeated Value value = 1; }
 * Value     { string tag = 1; float simple_value = 2; HistogramProto histo = 5; }
 * HistogramProto { double min = 1; double max = 2; double num = 3; double sum = 4; double sum_squares = 5;
 *                  repeated double bucket_limit = 6 [packed]; repeated double bucket = 7 [packed]; }
 * </pre>
 */
final class TensorBoardEvents {
  private TensorBoardEvents() {}

  /** The version record every event file starts with. */
  static byte[] fileVersion(double wallTime) {
    return encode(out -> {
      out.writeDouble(1, wallTime);
      out.writeString(3, "brain.Event:2");
    });
  }

  /** An event holding one scalar ({@code simple_value}) under {@code tag} at {@code step}. */
  static byte[] scalar(double wallTime, long step, String tag, float value) {
    byte[] v = encode(out -> {
      out.writeString(1, tag);
      out.writeFloat(2, value);
    });
    return summaryEvent(wallTime, step, v);
  }

  /** An event holding one histogram under {@code tag} at {@code step}. */
  static byte[] histogram(double wallTime, long step, String tag, Histogram h) {
    byte[] histo = encode(out -> {
      out.writeDouble(1, h.min());
      out.writeDouble(2, h.max());
      out.writeDouble(3, h.count());
      out.writeDouble(4, h.sum());
      out.writeDouble(5, h.sumSquares());
      packed(out, 6, h.bucketLimits());
      packed(out, 7, h.buckets());
    });
    byte[] v = encode(out -> {
      out.writeString(1, tag);
      out.writeByteArray(5, histo);
    });
    return summaryEvent(wallTime, step, v);
  }

  private static byte[] summaryEvent(double wallTime, long step, byte[] value) {
    byte[] summary = encode(out -> out.writeByteArray(1, value));
    return encode(out -> {
      out.writeDouble(1, wallTime);
      out.writeInt64(2, step);
      out.writeByteArray(5, summary);
    });
  }

  private static void packed(CodedOutputStream out, int field, double[] values) throws IOException {
    out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(values.length * 8);
    for (double d : values) out.writeDoubleNoTag(d);
  }

  private interface Body { void write(CodedOutputStream out) throws IOException; }

  private static byte[] encode(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // NOTE: a byte array never fails to grow short of memory
    }
  }
}
