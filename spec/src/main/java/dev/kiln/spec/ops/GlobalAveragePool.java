package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.op.Windows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Mean over all spatial axes of x [N, C, *spatial], kept as size 1: y [N, C, 1, ...]. ONNX GlobalAveragePool-1. */
public final class GlobalAveragePool extends Op {
  @Override public String summary() { return "y = mean over all spatial axes, kept as size 1 ([N, C, 1, 1])"; }

  @Override public Signature signature() { return Signature.inputs("x"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireFloat("input x", x);
    Windows.requireSpatialRank(x);
    List<Dim> out = new ArrayList<>(x.shape().dims().subList(0, 2));
    out.addAll(Collections.nCopies(x.rank() - 2, Dim.of(1)));
    return List.of(x.withShape(Shape.of(out)));
  }

  @Override public OnnxLowering onnx() {
    return Onnx.op("GlobalAveragePool", 1).orElseFor(dev.kiln.spec.DType.F64, GlobalAveragePool::emitF64).lowering();
  }

  /** ONNX Runtime has no f64 GlobalAveragePool kernel: the mean over the spatial axes, kept. */
  private static void emitF64(dev.kiln.spec.op.OnnxEmitter e) {
    long[] axes = new long[e.node().input(0).type().rank() - 2];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
    if (e.opset() >= 18) {
      e.emit("ReduceMean", List.of(e.input(0), e.constant(dev.kiln.spec.HostTensor.ofLongs(axes, axes.length), "axes")),
          List.of(e.output(0)), java.util.Map.of("keepdims", 1L));
    } else {
      e.emit("ReduceMean", List.of(e.input(0)), List.of(e.output(0)), java.util.Map.of("axes", axes, "keepdims", 1L));
    }
  }

  @Override public TfLowering tf() { return TfLowering.custom("Mean"); }

  /** The static spatial sizes of x [N, C, *spatial]; the pools' gradients need them. */
  static long[] spatialSizes(TensorType x) {
    long[] s = new long[x.rank() - 2];
    for (int i = 0; i < s.length; i++) {
      Dim d = x.shape().dim(i + 2);
      if (!d.isStatic()) throw new UnsupportedOpException("the gradient of a global pool needs static spatial sizes, got " + x);
      s[i] = d.size();
    }
    return s;
  }

  /** dx = gy / (number of spatial cells), broadcast over the spatial axes. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      TensorType x = node.inputs().get(0).type();
      long cells = 1;
      for (long s : spatialSizes(x)) cells *= s;
      Value scale = Ops.constant(b, HostTensor.scalar(x.dtype(), 1.0 / cells));
      Value spread = Ops.broadcastLike(b, gys.get(0), node.input(0));
      return List.of(Ops.mul(b, spread, scale));
    };
  }
}
