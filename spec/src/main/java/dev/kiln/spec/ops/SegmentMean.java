package dev.kiln.spec.ops;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Segments;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;

/**
 * y[s] = mean of the rows data[e] with segment_ids[e] == s, for s in [0, n), n = like's size on axis 0;
 * empty segments are 0 (as PyTorch Geometric's mean aggregation). GraphSAGE's mean aggregator.
 * ONNX ScatterND-16 (reduction add) of the rows and of ones, divided; TF UnsortedSegmentSum, the same way.
 */
public final class SegmentMean extends Op {
  @Override public String summary() { return "y[s] = mean of data's rows whose segment id is s (0 for an empty segment)"; }

  @Override public Signature signature() { return Segments.signature(); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) { return Segments.inferTypes(in, true); }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("ScatterND", 16, e -> Segments.emitOnnx(e, Segments.Kind.MEAN))); }

  @Override public TfLowering tf() { return TfLowering.custom("UnsortedSegmentSum / counts"); }

  /** ddata[e] = gy[s] / count[s] with s = segment_ids[e]; ids and like get none. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Value ids = node.input(1);
      Value scaled = Ops.div(b, gys.get(0), countsAtLeastOne(b, ids, node.input(0), node.input(2)));
      return Arrays.asList(Ops.gather(b, scaled, ids, 0L), null, null);
    };
  }

  /** The rows per segment (at least 1), shaped [n, 1, ...] with data's rank so it divides y's rows. */
  static Value countsAtLeastOne(GraphBuilder b, Value ids, Value data, Value like) {
    var dt = data.type().dtype();
    Value ones = Ops.constantOfShape(b, Ops.shape(b, ids), HostTensor.fromDoubles(dt, new double[] {1}, 1));
    Value counts = Ops.segmentSum(b, ones, ids, like);
    counts = Ops.maximum(b, counts, Ops.constant(b, HostTensor.fromDoubles(dt, new double[] {1})));
    int r = data.type().rank();
    if (r == 1) return counts;
    long[] axes = new long[r - 1];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
    return Ops.unsqueeze(b, counts, axes);
  }
}
