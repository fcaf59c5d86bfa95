package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.ShapeOperands;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Slice} with starts, ends and the optional axes and steps as run-time int64 tensors of one static
 * length k (axes default to 0..k-1, steps to 1); starts and ends are clamped as in ONNX (and Python). The
 * output keeps x's rank; the dims of sliced axes are known at run time. ONNX Slice-13; TF StridedSlice
 * with full-rank begin/end/strides scattered from the sliced axes.
 */
public final class DynamicSlice extends Op {
  private static final String[] NAMES = {"x", "starts", "ends", "axes", "steps"};

  @Override public String summary() { return "y = x sliced with starts/ends/axes/steps given at run time"; }

  @Override public Signature signature() { return Signature.inputs(NAMES).optionalFrom(3); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    int k = ShapeOperands.length(in.get(1), "starts");
    for (int i = 2; i < in.size(); i++) {
      int len = ShapeOperands.length(in.get(i), NAMES[i]);
      if (len != k) throw new ShapeException("input " + NAMES[i] + " has " + len + " entries, starts has " + k);
    }
    if (k > x.rank()) throw new ShapeException("starts has " + k + " entries, more than x's rank " + x.rank());
    List<Dim> out = new ArrayList<>();
    boolean defaultAxes = in.size() < 4;
    for (int i = 0; i < x.rank(); i++) out.add(defaultAxes && i >= k ? x.shape().dim(i) : Dim.unknown());
    return List.of(x.withShape(dev.kiln.spec.Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Slice", 13).lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("StridedSlice"); }

  /**
   * dx scatters gy back where the slice read: the same slice of x's flat element indices names, for each
   * element of gy, the element of x it came from; GatherGrad adds gy there into zeros. The slice operands
   * get no gradient.
   */
  @Override public Vjp vjp() { return Vjp.firstInputOnly(DynamicSlice::backward); }

  private static Value backward(GraphBuilder b, Node node, Value gy) {
    Value x = node.input(0);
    long[] flat = {-1};
    Value xf = Ops.reshape(b, x, flat);
    Value count = Ops.reshape(b, Ops.shape(b, xf), new long[0]);
    Value zero = Ops.constant(b, HostTensor.ofLongs(new long[] {0}));
    Value one = Ops.constant(b, HostTensor.ofLongs(new long[] {1}));
    Value ids = Ops.dynamicReshape(b, Ops.range(b, zero, count, one), Ops.shape(b, x));
    List<Value> in = node.inputs();
    Value sliced = Ops.dynamicSlice(b, ids, in.get(1), in.get(2), in.size() > 3 ? in.get(3) : null, in.size() > 4 ? in.get(4) : null);
    Value picked = Ops.reshape(b, sliced, flat);
    Value dxf = Ops.gatherGrad(b, Ops.reshape(b, gy, flat), picked, xf, 0L);
    return DynamicReshape.like(b, dxf, x);
  }
}
