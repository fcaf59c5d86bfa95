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
    Attrs flat = Attrs.of("shape", new long[] {-1});
    Value xf = b.apply1("Reshape", flat, x);
    Value count = b.apply1("Reshape", Attrs.of("shape", new long[0]), b.apply1("Shape", Attrs.EMPTY, xf));
    Value zero = b.apply1("Constant", Attrs.of("value", HostTensor.ofLongs(new long[] {0})));
    Value one = b.apply1("Constant", Attrs.of("value", HostTensor.ofLongs(new long[] {1})));
    Value ids = b.apply1("DynamicReshape", Attrs.EMPTY, b.apply1("Range", Attrs.EMPTY, zero, count, one), b.apply1("Shape", Attrs.EMPTY, x));
    List<Value> sliceIn = new ArrayList<>(node.inputs());
    sliceIn.set(0, ids);
    Value picked = b.apply1("Reshape", flat, b.apply("DynamicSlice", sliceIn, Attrs.EMPTY).get(0));
    Value dxf = b.apply1("GatherGrad", Attrs.of("axis", 0L), b.apply1("Reshape", flat, gy), picked, xf);
    return DynamicReshape.like(b, dxf, x);
  }
}
