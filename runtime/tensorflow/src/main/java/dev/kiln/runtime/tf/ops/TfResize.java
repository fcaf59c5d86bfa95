package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Node;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The TensorFlow lowering of {@code Resize}: one axis after the other, the source coordinate of every
 * output position is computed in f64 TF ops from the input's shape and the scales / sizes / roi (constants,
 * or tensors computed at run time), and the output is a weighted sum of GatherV2s of the input at the
 * neighbouring source indices (clamped to the axis, as ONNX's edge padding does): 1 tap for nearest, 2 for
 * linear, 4 for cubic. Inputs of Resize: x, then optionally size (scales when floating, sizes when i64) and roi.
 */
public final class TfResize {
  private final TfEmitter e;
  private final Attrs a;
  private final int rank;
  private final DType dtype;
  private final Object shape;
  private final Object scales;
  private final Object sizes;
  private final Object roi;

  private TfResize(TfEmitter e) {
    this.e = e;
    Node n = e.node();
    this.a = n.attrs();
    TensorType xt = n.input(0).type();
    this.rank = xt.rank();
    this.dtype = xt.dtype();
    this.shape = op("Shape", Map.of("out_type", DType.I64), e.input(0));
    boolean sizeIn = given(n, 1);
    boolean sizesIn = sizeIn && n.input(1).type().dtype() == DType.I64;
    this.sizes = sizesIn ? cast(e.input(1), DType.F64) : a.getLongs("sizes").length > 0 ? constF64(toDoubles(a.getLongs("sizes"))) : null;
    this.scales = sizes != null ? null : sizeIn ? cast(e.input(1), DType.F64) : constF64(a.getDoubles("scales"));
    this.roi = given(n, 2) ? cast(e.input(2), DType.F64) : a.getDoubles("roi").length > 0 ? constF64(a.getDoubles("roi")) : null;
  }

  /** Emits the node's output. */
  public static List<Object> emit(TfEmitter e) { return List.of(new TfResize(e).run()); }

  private static boolean given(Node n, int i) { return n.inputs().size() > i && n.input(i) != null; }

  private Object run() {
    Object y = e.input(0);
    Node n = e.node();
    for (int i = 0; i < rank; i++) {
      if (identityAxis(n, i)) continue;
      y = axis(y, i);
    }
    return y;
  }

  /**
   * Whether axis i is statically known to be left as it is: scale 1 and the same size, in a coordinate mode
   * that maps each output position onto itself (all but tf_crop_and_resize).
   */
  private boolean identityAxis(Node n, int i) {
    if (given(n, 1) || given(n, 2) || a.getString("coordinate_transformation_mode").equals("tf_crop_and_resize")) return false;
    var out = n.output().type().shape().dim(i);
    var in = n.input(0).type().shape().dim(i);
    if (!out.isStatic() || !in.isStatic() || out.size() != in.size()) return false;
    double[] s = a.getDoubles("scales");
    return s.length == 0 || s[i] == 1.0;
  }

  private Object axis(Object x, int i) {
    Object inLen = op("GatherV2", Map.of(), shape, constI64(i), constI64(0));
    Object inF = cast(inLen, DType.F64);
    Object outF;
    Object scale;
    String ctm = a.getString("coordinate_transformation_mode");
    boolean crop = ctm.equals("tf_crop_and_resize");
    Object start = crop && roi != null ? op("GatherV2", Map.of(), roi, constI64(i), constI64(0)) : scalar(0);
    Object end = crop && roi != null ? op("GatherV2", Map.of(), roi, constI64(rank + i), constI64(0)) : scalar(1);
    if (sizes != null) {
      outF = op("GatherV2", Map.of(), sizes, constI64(i), constI64(0));
      scale = op("RealDiv", Map.of(), outF, inF);
    } else {
      scale = op("GatherV2", Map.of(), scales, constI64(i), constI64(0));
      Object cut = op("Mul", Map.of(), inF, scale);
      if (crop) cut = op("Mul", Map.of(), cut, op("Sub", Map.of(), end, start));
      outF = op("Floor", Map.of(), cut);
    }
    Object o = cast(op("Range", Map.of(), constI64(0), cast(outF, DType.I64), constI64(1)), DType.F64);
    // NOTE: align_corners and pytorch_half_pixel use the resized length in * scale unrounded (see ResizeTaps).
    Object len = sizes != null ? outF : op("Mul", Map.of(), inF, scale);
    Object manyOut = op("Greater", Map.of(), outF, scalar(1));
    Object longer = op("Greater", Map.of(), len, scalar(1));
    Object zero = op("Mul", Map.of(), o, scalar(0));
    Object inLast = op("Sub", Map.of(), inF, scalar(1));
    Object centre = op("Sub", Map.of(), op("RealDiv", Map.of(), op("AddV2", Map.of(), o, scalar(0.5)), scale), scalar(0.5));
    Object xo = switch (ctm) {
      case "half_pixel" -> centre;
      case "pytorch_half_pixel" -> op("SelectV2", Map.of(), longer, centre, zero);
      case "align_corners" -> op("SelectV2", Map.of(), op("NotEqual", Map.of(), len, scalar(1)),
          op("Mul", Map.of(), o, op("RealDiv", Map.of(), inLast, op("Sub", Map.of(), len, scalar(1)))), zero);
      case "asymmetric" -> op("RealDiv", Map.of(), o, scale);
      case "tf_half_pixel_for_nn" -> op("RealDiv", Map.of(), op("AddV2", Map.of(), o, scalar(0.5)), scale);
      case "tf_crop_and_resize" -> {
        Object span = op("Sub", Map.of(), end, start);
        Object many = op("AddV2", Map.of(), op("Mul", Map.of(), start, inLast),
            op("Mul", Map.of(), o, op("RealDiv", Map.of(), op("Mul", Map.of(), span, inLast), op("Sub", Map.of(), outF, scalar(1)))));
        Object one = op("AddV2", Map.of(), zero, op("Mul", Map.of(), op("Mul", Map.of(), scalar(0.5), op("AddV2", Map.of(), start, end)), inLast));
        yield op("SelectV2", Map.of(), manyOut, many, one);
      }
      default -> throw new IllegalStateException("coordinate_transformation_mode " + ctm);
    };
    Object y = switch (a.getString("mode")) {
      case "nearest" -> gather(x, i, nearest(xo), inLast);
      case "linear" -> {
        Object x0 = op("Floor", Map.of(), xo);
        Object t = op("Sub", Map.of(), xo, x0);
        Object one = op("Sub", Map.of(), scalar(1), t);
        yield op("AddV2", Map.of(), weighted(gather(x, i, x0, inLast), one, i),
            weighted(gather(x, i, op("AddV2", Map.of(), x0, scalar(1)), inLast), t, i));
      }
      default -> cubic(x, i, xo, inLast);
    };
    if (crop) {
      Object outside = op("LogicalOr", Map.of(), op("Less", Map.of(), xo, scalar(0)), op("Greater", Map.of(), xo, inLast));
      Object fill = e.constant(HostTensor.fromDoubles(dtype, new double[] {a.getDouble("extrapolation_value")}));
      y = op("SelectV2", Map.of(), column(outside, i), fill, y);
    }
    return y;
  }

  /** The source index of nearest mode, by nearest_mode: round half down / up, floor or ceil. */
  private Object nearest(Object xo) {
    return switch (a.getString("nearest_mode")) {
      case "round_prefer_floor" -> op("Ceil", Map.of(), op("Sub", Map.of(), xo, scalar(0.5)));
      case "round_prefer_ceil" -> op("Floor", Map.of(), op("AddV2", Map.of(), xo, scalar(0.5)));
      case "floor" -> op("Floor", Map.of(), xo);
      default -> op("Ceil", Map.of(), xo);
    };
  }

  /**
   * Keys' cubic convolution with coefficient A on the taps x0-1 .. x0+2 (x0 = floor(xo), t = xo - x0);
   * with exclude_outside, taps outside the axis get weight 0 and the weights are renormalised to sum 1.
   */
  private Object cubic(Object x, int i, Object xo, Object inLast) {
    double aa = a.getDouble("cubic_coeff_a");
    Object x0 = op("Floor", Map.of(), xo);
    Object t = op("Sub", Map.of(), xo, x0);
    Object[] d = {op("AddV2", Map.of(), t, scalar(1)), t, op("Sub", Map.of(), scalar(1), t), op("Sub", Map.of(), scalar(2), t)};
    Object[] w = new Object[4];
    Object[] tap = new Object[4];
    for (int k = 0; k < 4; k++) {
      w[k] = k == 1 || k == 2 ? near(d[k], aa) : far(d[k], aa);
      tap[k] = op("AddV2", Map.of(), x0, scalar(k - 1));
    }
    if (a.getBool("exclude_outside")) {
      Object sum = null;
      for (int k = 0; k < 4; k++) {
        Object inside = op("LogicalAnd", Map.of(), op("GreaterEqual", Map.of(), tap[k], scalar(0)), op("LessEqual", Map.of(), tap[k], inLast));
        w[k] = op("SelectV2", Map.of(), inside, w[k], op("Mul", Map.of(), w[k], scalar(0)));
        sum = sum == null ? w[k] : op("AddV2", Map.of(), sum, w[k]);
      }
      for (int k = 0; k < 4; k++) w[k] = op("RealDiv", Map.of(), w[k], sum);
    }
    Object y = null;
    for (int k = 0; k < 4; k++) {
      Object term = weighted(gather(x, i, tap[k], inLast), w[k], i);
      y = y == null ? term : op("AddV2", Map.of(), y, term);
    }
    return y;
  }

  /** The cubic kernel for distances in [0, 1]: ((A + 2) d - (A + 3)) d^2 + 1. */
  private Object near(Object dist, double aa) {
    Object p = op("Sub", Map.of(), op("Mul", Map.of(), dist, scalar(aa + 2)), scalar(aa + 3));
    return op("AddV2", Map.of(), op("Mul", Map.of(), op("Mul", Map.of(), p, dist), dist), scalar(1));
  }

  /** The cubic kernel for distances in [1, 2]: ((A d - 5A) d + 8A) d - 4A. */
  private Object far(Object dist, double aa) {
    Object p = op("Sub", Map.of(), op("Mul", Map.of(), dist, scalar(aa)), scalar(5 * aa));
    p = op("AddV2", Map.of(), op("Mul", Map.of(), p, dist), scalar(8 * aa));
    return op("Sub", Map.of(), op("Mul", Map.of(), p, dist), scalar(4 * aa));
  }

  /** x gathered along axis i at the f64 positions idx, clamped to [0, in - 1]. */
  private Object gather(Object x, int i, Object idx, Object inLast) {
    Object c = op("Minimum", Map.of(), op("Maximum", Map.of(), idx, scalar(0)), inLast);
    return op("GatherV2", Map.of(), x, cast(c, DType.I64), constI64(i));
  }

  /** v * w, the f64 weights w (one per position on axis i) cast to x's dtype and shaped to broadcast there. */
  private Object weighted(Object v, Object w, int i) {
    return op("Mul", Map.of(), v, column(cast(w, dtype), i));
  }

  /** A vector reshaped to [n, 1, ..., 1] so that it lines up with axis i of a rank-r tensor. */
  private Object column(Object v, int i) {
    long[] s = new long[rank - i];
    Arrays.fill(s, 1);
    s[0] = -1;
    return op("Reshape", Map.of(), v, e.constant(HostTensor.ofLongs(s, s.length)));
  }

  private Object op(String type, Map<String, Object> attrs, Object... in) { return e.op(type, List.of(in), attrs, 1).get(0); }

  private Object cast(Object v, DType to) { return op("Cast", Map.of("DstT", to), v); }

  private Object scalar(double v) { return e.constant(HostTensor.scalar(DType.F64, v)); }

  private Object constI64(long v) { return e.constant(HostTensor.scalar(DType.I64, v)); }

  private Object constF64(double[] v) { return e.constant(HostTensor.ofDoubles(v, v.length)); }

  private static double[] toDoubles(long[] v) { return Arrays.stream(v).asDoubleStream().toArray(); }
}
