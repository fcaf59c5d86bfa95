package dev.kiln.spec.ops;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
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
 * y[s] = element-wise max of the rows data[e] with segment_ids[e] == s, for s in [0, n), n = like's size on
 * axis 0; empty segments are 0 (as PyTorch Geometric's max aggregation). Also the shift of a segment softmax.
 * ONNX ScatterND-18 (reduction max) into -inf, or below 18 a dense max over an [n, E, ...] selection
 * (ScatterND-16/17 have no max); TF UnsortedSegmentMax. Empty segments are found by counting rows.
 */
public final class SegmentMax extends Op {
  @Override public String summary() { return "y[s] = element-wise max of data's rows whose segment id is s (0 for an empty segment)"; }

  @Override public Signature signature() { return Segments.signature(); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) { return Segments.inferTypes(in, true); }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("ScatterND", 16, e -> Segments.emitOnnx(e, Segments.Kind.MAX))); }

  @Override public TfLowering tf() { return TfLowering.custom("UnsortedSegmentMax"); }

  /**
   * ddata[e] = gy[s] * [data[e] == y[s]] / (number of rows of segment s equal to y[s]), s = segment_ids[e]:
   * ties share the gradient equally (as torch.amax). NOTE: not differentiable where two rows tie.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Value data = node.input(0);
      Value ids = node.input(1);
      Value hit = Ops.cast(b, Ops.equal(b, data, Ops.gather(b, node.output(), ids, 0L)), data.type().dtype());
      Value ties = Ops.gather(b, Ops.segmentSum(b, hit, ids, node.input(2)), ids, 0L);
      Value share = Ops.div(b, hit, Ops.maximum(b, ties, Ops.constant(b, dev.kiln.spec.HostTensor.fromDoubles(data.type().dtype(), new double[] {1}))));
      return Arrays.asList(Ops.mul(b, Ops.gather(b, gys.get(0), ids, 0L), share), null, null);
    };
  }
}
