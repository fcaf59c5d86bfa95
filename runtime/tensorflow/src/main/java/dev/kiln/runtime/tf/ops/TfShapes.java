package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.List;
import java.util.Map;

/** Small TF graph pieces shared by the shape ops' TensorFlow handlers. */
public final class TfShapes {
  private TfShapes() {}

  /** An int64 vector constant. */
  public static Object longs(TfEmitter e, long... v) { return e.constant(HostTensor.ofLongs(v, v.length)); }

  /** An int64 scalar constant. */
  public static Object scalar(TfEmitter e, long v) { return e.constant(HostTensor.ofLongs(new long[] {v})); }

  /** The run-time shape of {@code x} as an int64 vector (TF {@code Shape}). */
  public static Object shapeOf(TfEmitter e, Object x) {
    return e.op("Shape", List.of(x), Map.of("out_type", DType.I64), 1).get(0);
  }

  /** Entries {@code [from, to)} of an int64 shape vector, as a vector (TF {@code StridedSlice}). */
  public static Object range(TfEmitter e, Object shape, long from, long to) {
    return e.op("StridedSlice", List.of(shape, longs(e, from), longs(e, to), longs(e, 1)), Map.of(), 1).get(0);
  }

  /** Entry {@code i} of an int64 shape vector, as a 1-element vector. */
  public static Object dimOf(TfEmitter e, Object shape, long i) { return range(e, shape, i, i + 1); }

  /** The product of an int64 vector, as a 1-element vector (TF {@code Prod} keeping the axis). */
  public static Object prod(TfEmitter e, Object v) {
    return e.op("Prod", List.of(v, longs(e, 0)), Map.of("keep_dims", Boolean.TRUE), 1).get(0);
  }

  /** TF {@code Transpose} by a constant permutation. */
  public static Object transpose(TfEmitter e, Object x, long... perm) {
    return e.op("Transpose", List.of(x, longs(e, perm)), Map.of(), 1).get(0);
  }

  /** TF {@code ConcatV2} of {@code parts} along {@code axis} (the axis is the last input). */
  public static Object concat(TfEmitter e, List<Object> parts, long axis) {
    // NOTE: ConcatV2 requires N >= 2; ONNX allows one input (DenseNet's first torch.cat), which is that input.
    if (parts.size() == 1) return parts.get(0);
    List<Object> in = new java.util.ArrayList<>(parts);
    in.add(scalar(e, axis));
    return e.op("ConcatV2", in, Map.of(), 1).get(0);
  }

  /** An int64 vector {@code v} with negative entries counted from {@code rank} (v + rank where v < 0). */
  public static Object normalizeAxes(TfEmitter e, Object v, long rank) {
    return e.op("FloorMod", List.of(v, scalar(e, rank)), Map.of(), 1).get(0);
  }

  /** A length-{@code n} int64 vector with {@code values} at positions {@code axes} and 0 elsewhere. */
  public static Object scatter(TfEmitter e, Object axes, Object values, long n) {
    Object idx = e.op("ExpandDims", List.of(axes, e.constant(HostTensor.ofLongs(new long[] {-1}))), Map.of(), 1).get(0);
    return e.op("ScatterNd", List.of(idx, values, longs(e, n)), Map.of(), 1).get(0);
  }
}
