package dev.kiln.spec.ops;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
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
 * y[s] = sum of the rows data[e] with segment_ids[e] == s, for s in [0, n), n = like's size on axis 0 (its
 * values are not read; it may be symbolic); empty segments are 0. Ids in [-n, -1] count from the end. A graph
 * network's sum aggregation: messages [edges, F] summed into nodes [nodes, F] by destination.
 * ONNX ScatterND-16 (reduction add) into zeros; TF UnsortedSegmentSum.
 */
public final class SegmentSum extends Op {
  @Override public String summary() { return "y[s] = sum of data's rows whose segment id is s (s < like's axis-0 size)"; }

  @Override public Signature signature() { return Segments.signature(); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) { return Segments.inferTypes(in, false); }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("ScatterND", 16, e -> Segments.emitOnnx(e, Segments.Kind.SUM))); }

  @Override public TfLowering tf() { return TfLowering.custom("UnsortedSegmentSum"); }

  /** ddata = Gather(gy, segment_ids): each row gets its segment's gradient; ids and like get none. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> Arrays.asList(Ops.gather(b, gys.get(0), node.input(1), 0L), null, null);
  }
}
