package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Node;
import java.util.List;
import java.util.Map;

/**
 * TF handlers of the segment reductions (SegmentSum, SegmentMean, SegmentMax): TF's UnsortedSegment kernels
 * with the segment count read from {@code like}'s run-time shape and negative ids moved up by it (TF drops
 * negative ids; the IR counts them from the end, as Gather does). Empty segments give 0, as in the IR. An id out of
 * [-n, n) is an error on both back ends, never a dropped row.
 */
final class SegmentHandlers {
  private SegmentHandlers() {}

  static List<Object> sum(TfEmitter e) {
    Ids ids = ids(e);
    return e.op("UnsortedSegmentSum", List.of(e.input(0), ids.ids, ids.n), Map.of(), 1);
  }

  /** Sum over count, the count at least 1. */
  static List<Object> mean(TfEmitter e) {
    Ids ids = ids(e);
    DType dt = e.node().input(0).type().dtype();
    Object sum = e.op("UnsortedSegmentSum", List.of(e.input(0), ids.ids, ids.n), Map.of(), 1).get(0);
    Object counts = e.op("Maximum", List.of(counts(e, ids), e.constant(HostTensor.scalar(dt, 1))), Map.of(), 1).get(0);
    return e.op("RealDiv", List.of(sum, counts), Map.of(), 1);
  }

  /** UnsortedSegmentMax gives the dtype's lowest value for an empty segment: those become 0. */
  static List<Object> max(TfEmitter e) {
    Ids ids = ids(e);
    DType dt = e.node().input(0).type().dtype();
    Object max = e.op("UnsortedSegmentMax", List.of(e.input(0), ids.ids, ids.n), Map.of(), 1).get(0);
    Object nonEmpty = e.op("Greater", List.of(counts(e, ids), e.constant(HostTensor.scalar(dt, 0))), Map.of(), 1).get(0);
    return e.op("SelectV2", List.of(nonEmpty, max, e.constant(HostTensor.scalar(dt, 0))), Map.of(), 1);
  }

  private record Ids(Object ids, Object n) {}

  private static Ids ids(TfEmitter e) {
    Node node = e.node();
    DType it = node.input(1).type().dtype();
    Object ids = IndexHandlers.nonNegative(e, e.input(1), it, e.input(2), 0);
    Object shape = e.op("Shape", List.of(e.input(2)), Map.of("out_type", it), 1).get(0);
    Object n = e.op("GatherV2", List.of(shape, e.constant(HostTensor.scalar(it, 0)), e.constant(HostTensor.scalar(it, 0))),
        Map.of(), 1).get(0);
    // An id below -n is still negative here, and TF would drop its row without a word (a silently wrong sum);
    // moved to n it is out of range, which TF's kernel refuses, as ONNX Runtime refuses it.
    Object stillNegative = e.op("Less", List.of(ids, e.constant(HostTensor.scalar(it, 0))), Map.of(), 1).get(0);
    ids = e.op("SelectV2", List.of(stillNegative, e.op("BroadcastTo", List.of(n, e.op("Shape", List.of(ids), Map.of("out_type", it), 1).get(0)),
        Map.of(), 1).get(0), ids), Map.of(), 1).get(0);
    return new Ids(ids, n);
  }

  /** Rows per segment in data's dtype, shaped [n, 1, ...] with data's rank. */
  private static Object counts(TfEmitter e, Ids ids) {
    Node node = e.node();
    DType dt = node.input(0).type().dtype();
    int r = node.input(0).type().rank();
    Object idsShape = e.op("Shape", List.of(e.input(1)), Map.of("out_type", DType.I64), 1).get(0);
    Object ones = e.op("Fill", List.of(idsShape, e.constant(HostTensor.scalar(dt, 1))), Map.of(), 1).get(0);
    Object counts = e.op("UnsortedSegmentSum", List.of(ones, ids.ids, ids.n), Map.of(), 1).get(0);
    if (r == 1) return counts;
    long[] shape = new long[r];
    java.util.Arrays.fill(shape, 1);
    shape[0] = -1;
    return e.op("Reshape", List.of(counts, e.constant(HostTensor.ofLongs(shape, r))), Map.of(), 1).get(0);
  }
}
