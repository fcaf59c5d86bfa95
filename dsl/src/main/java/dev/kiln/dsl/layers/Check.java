package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.SourceLocation;
import dev.kiln.spec.op.OpRegistry;
import java.util.Arrays;
import java.util.List;

/**
 * Checks shared by the layer classes. Both kinds of mistake name the user's line ({@link SourceLocation#capture()}
 * walks past Kiln's frames): an option out of range fails where the options are built, before any model exists; an
 * input the layer cannot take fails where the layer is applied, reported against an op in the model's current block.
 */
final class Check {
  private Check() {}

  /** Fails with {@code "Layer: message"} and the user's line unless {@code ok}. */
  static void option(boolean ok, String layer, String message) {
    if (!ok) throw new KilnException(layer + ": " + message + "\n  at " + SourceLocation.capture());
  }

  /** A shape error about {@code x}'s layer, reported against {@code op}, with block, model and the user's line. */
  static ShapeException input(Tensor<?> x, String op, String message) {
    return x.builder().graph().error(OpRegistry.get(op), message, SourceLocation.capture());
  }

  /** Per-axis option values (one for every axis, or one per axis), each at least {@code min}, as an immutable list. */
  static List<Long> axes(String layer, String what, long min, long[] values) {
    option(values.length > 0, layer, what + " needs at least one value");
    for (long v : values) option(v >= min, layer, what + " must be >= " + min + ", got " + Arrays.toString(values));
    return Arrays.stream(values).boxed().toList();
  }

  /** {@code Layer[component=value, ...]}: a layer's name with its options record's components. */
  static String show(String layer, Record options) {
    String s = options.toString();
    return layer + s.substring(s.indexOf('['));
  }

  /** {@code values} for {@code spatial} axes: one value repeated, or exactly one per axis. */
  static long[] perAxis(Tensor<?> x, String op, String what, List<Long> values, int spatial) {
    long[] v = values.stream().mapToLong(Long::longValue).toArray();
    if (v.length == spatial) return v;
    if (v.length == 1) {
      long[] r = new long[spatial];
      Arrays.fill(r, v[0]);
      return r;
    }
    throw input(x, op, what + " " + Arrays.toString(v) + " must have 1 or " + spatial + " entries");
  }
}
