package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.OnnxMath;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Instance normalisation: each channel of each sample normalised over its spatial axes, y = scale * (x - mean) /
 * sqrt(var + epsilon) + bias, with mean and (biased) variance per (n, c) over axes 2.. of x (N, C, D1, ...), scale
 * and bias of length C broadcast along axis 1. ONNX InstanceNormalization-6 (-1 differs only by the legacy
 * {@code consumed_inputs} attribute, which the importer skips); PyTorch's {@code InstanceNorm*d} with
 * {@code affine=True} and no running statistics.
 *
 * <p>A composite: exported natively (f32), and in f64 spelled in ONNX primitives (ONNX Runtime's CPU kernel is f32
 * only); on TF the same arithmetic in TF ops (channels-last when its input is held so); the gradient goes through the
 * decomposition (ReduceMean, Sub, Mul, Add, Sqrt, Div, Unsqueeze), so second order exists.
 */
public final class InstanceNormalization extends Op {
  @Override public String summary() { return "y = scale * (x - mean) / sqrt(var + epsilon) + bias, statistics per (n, c) over the spatial axes"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "scale", "bias")
        .attr("epsilon", AttrKind.FLOAT, 1e-5, "added to the variance");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireFloat("input x", x);
    // NOTE: rank 2 (no spatial axis) is what ONNX Runtime's kernel rejects at run time; refused here at build time.
    TypeRules.requireRankAtLeast("input x (N, C, D1, ...)", x, 3);
    BatchNormalization.requirePerChannel("scale", in.get(1), x);
    BatchNormalization.requirePerChannel("bias", in.get(2), x);
    BatchNormalization.requireEpsilon(attrs);
    return List.of(x);
  }

  @Override public OnnxLowering onnx() {
    return Onnx.op("InstanceNormalization", 6).attr("epsilon").orElseFor(DType.F64, InstanceNormalization::emitPrimitives).lowering();
  }

  /** The spatial axes 2.. of a rank-{@code rank} x. */
  public static long[] spatialAxes(int rank) {
    long[] axes = new long[rank - 2];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
    return axes;
  }

  /** (C) to (C, 1, ..., 1): the shape that broadcasts a per-channel vector along axis 1 of a rank-{@code rank} x. */
  public static long[] perChannelShape(int rank) {
    long[] shape = new long[rank - 1];
    Arrays.fill(shape, 1);
    shape[0] = -1;
    return shape;
  }

  /** ONNX Runtime has no f64 InstanceNormalization: the decomposition in ONNX ops it has f64 kernels for. */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    int rank = e.node().input(0).type().rank();
    String x = e.input(0);
    String d = m.op("Sub", x, reduceMean(e, x, rank));
    String var = reduceMean(e, m.op("Mul", d, d), rank);
    String norm = m.op("Div", d, m.op("Sqrt", m.op("Add", var, m.scalar(e.node().attrs().getDouble("epsilon")))));
    long[] shape = perChannelShape(rank);
    String s = e.constant(HostTensor.ofLongs(shape, shape.length), "shape");
    m.out(m.op("Add", m.op("Mul", norm, m.op("Reshape", e.input(1), s)), m.op("Reshape", e.input(2), s)));
  }

  /** ReduceMean over the spatial axes, keeping them: axes as an attribute before opset 18, as an input from 18. */
  private static String reduceMean(OnnxEmitter e, String v, int rank) {
    long[] axes = spatialAxes(rank);
    String y = e.fresh("reducemean");
    if (e.opset() >= 18) {
      e.emit("ReduceMean", List.of(v, e.constant(HostTensor.ofLongs(axes, axes.length), "axes")), List.of(y), Map.of("keepdims", 1L));
    } else {
      e.emit("ReduceMean", List.of(v), List.of(y), Map.of("axes", axes, "keepdims", 1L));
    }
    return y;
  }

  /** The decomposition's arithmetic as TF ops, channels-last after a conv (runtime/tensorflow's NormHandlers). */
  @Override public TfLowering tf() { return TfLowering.custom("InstanceNormalization"); }

  /**
   * ReduceMean over the spatial axes, Sub, Mul, ReduceMean, Add epsilon, Sqrt, Div, then Mul by scale and Add bias
   * unsqueezed to (C, 1, ..., 1): the arithmetic (and order) of the DSL's instance norm before this op existed.
   */
  @Override public Decomposition decomposition() {
    return (b, node, in) -> {
      Grad g = Grad.in(b);
      Value x = in.get(0);
      int rank = x.type().rank();
      long[] axes = spatialAxes(rank);
      Value d = g.sub(x, mean(b, x, axes));
      Value var = mean(b, g.mul(d, d), axes);
      Value norm = g.div(d, Ops.sqrt(b, g.add(var, g.scalar(var, node.attrs().getDouble("epsilon")))));
      Value scaled = g.mul(norm, BatchNormalization.perChannel(b, in.get(1), rank));
      return List.of(g.add(scaled, BatchNormalization.perChannel(b, in.get(2), rank)));
    };
  }

  private static Value mean(GraphBuilder b, Value v, long[] axes) { return Ops.reduceMean(b, v, axes, true); }
}
