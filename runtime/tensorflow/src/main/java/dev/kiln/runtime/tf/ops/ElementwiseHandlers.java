package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** TF handlers of element-wise ops TF has no one-to-one kernel for: activations with parameters, Clip, Div, Mod, shifts. */
final class ElementwiseHandlers {
  private ElementwiseHandlers() {}

  /** alpha * elu(x / alpha) is x above 0 and alpha * (e^(x/alpha) - 1) below. */
  static List<Object> celu(TfEmitter e) {
    double alpha = e.node().attrs().getDouble("alpha");
    if (alpha == 1.0) return e.op("Elu", List.of(e.input(0)), Map.of(), 1);
    Object a = e.constant(HostTensor.scalar(e.node().input(0).type().dtype(), alpha));
    Object scaled = e.op("RealDiv", List.of(e.input(0), a), Map.of(), 1).get(0);
    Object elu = e.op("Elu", List.of(scaled), Map.of(), 1).get(0);
    return e.op("Mul", List.of(elu, a), Map.of(), 1);
  }

  /** TF's Elu has no alpha: elu(x) = e^x - 1 below 0, so alpha * elu(x) there gives ours. */
  static List<Object> elu(TfEmitter e) {
    double alpha = e.node().attrs().getDouble("alpha");
    Object elu = e.op("Elu", List.of(e.input(0)), Map.of(), 1).get(0);
    if (alpha == 1.0) return List.of(elu);
    var dt = e.node().input(0).type().dtype();
    Object pos = e.op("Greater", List.of(e.input(0), e.constant(HostTensor.scalar(dt, 0))), Map.of(), 1).get(0);
    Object neg = e.op("Mul", List.of(elu, e.constant(HostTensor.scalar(dt, alpha))), Map.of(), 1).get(0);
    return e.op("SelectV2", List.of(pos, elu, neg), Map.of(), 1);
  }

  /** elu(x) = x above 0 and e^x - 1 below: y = gamma * elu where x &gt; 0, gamma * alpha * elu elsewhere. */
  static List<Object> selu(TfEmitter e) {
    double alpha = e.node().attrs().getDouble("alpha");
    double gamma = e.node().attrs().getDouble("gamma");
    var dt = e.node().input(0).type().dtype();
    Object elu = e.op("Elu", List.of(e.input(0)), Map.of(), 1).get(0);
    Object pos = e.op("Greater", List.of(e.input(0), e.constant(HostTensor.scalar(dt, 0))), Map.of(), 1).get(0);
    Object a = e.op("Mul", List.of(elu, e.constant(HostTensor.scalar(dt, gamma))), Map.of(), 1).get(0);
    Object n = e.op("Mul", List.of(elu, e.constant(HostTensor.scalar(dt, gamma * alpha))), Map.of(), 1).get(0);
    return e.op("SelectV2", List.of(pos, a, n), Map.of(), 1);
  }

  static List<Object> hardSigmoid(TfEmitter e) {
    var dt = e.node().input(0).type().dtype();
    double alpha = e.node().attrs().getDouble("alpha");
    double beta = e.node().attrs().getDouble("beta");
    Object z = e.op("Mul", List.of(e.input(0), e.constant(HostTensor.scalar(dt, alpha))), Map.of(), 1).get(0);
    z = e.op("AddV2", List.of(z, e.constant(HostTensor.scalar(dt, beta))), Map.of(), 1).get(0);
    z = e.op("Minimum", List.of(z, e.constant(HostTensor.scalar(dt, 1))), Map.of(), 1).get(0);
    return e.op("Maximum", List.of(z, e.constant(HostTensor.scalar(dt, 0))), Map.of(), 1);
  }

  static List<Object> hardSwish(TfEmitter e) {
    var dt = e.node().input(0).type().dtype();
    Object s = e.op("AddV2", List.of(e.input(0), e.constant(HostTensor.scalar(dt, 3))), Map.of(), 1).get(0);
    s = e.op("Relu6", List.of(s), Map.of(), 1).get(0);
    s = e.op("Mul", List.of(s, e.constant(HostTensor.scalar(dt, 1.0 / 6))), Map.of(), 1).get(0);
    return e.op("Mul", List.of(e.input(0), s), Map.of(), 1);
  }

  static List<Object> prelu(TfEmitter e) {
    var dt = e.node().input(0).type().dtype();
    Object pos = e.op("Greater", List.of(e.input(0), e.constant(HostTensor.scalar(dt, 0))), Map.of(), 1).get(0);
    Object neg = e.op("Mul", List.of(e.input(1), e.input(0)), Map.of(), 1).get(0);
    return e.op("SelectV2", List.of(pos, e.input(0), neg), Map.of(), 1);
  }

  static List<Object> thresholdedRelu(TfEmitter e) {
    DType dt = e.node().input(0).type().dtype();
    Object x = e.input(0);
    Object alpha = e.constant(HostTensor.scalar(dt, e.node().attrs().getDouble("alpha")));
    Object keep = e.op("Greater", List.of(x, alpha), Map.of(), 1).get(0);
    return e.op("SelectV2", List.of(keep, x, e.constant(HostTensor.scalar(dt, 0))), Map.of(), 1);
  }

  static List<Object> shrink(TfEmitter e) {
    DType dt = e.node().input(0).type().dtype();
    double lambd = e.node().attrs().getDouble("lambd");
    double bias = e.node().attrs().getDouble("bias");
    Object x = e.input(0);
    Object above = e.op("Greater", List.of(x, e.constant(HostTensor.scalar(dt, lambd))), Map.of(), 1).get(0);
    Object below = e.op("Less", List.of(x, e.constant(HostTensor.scalar(dt, -lambd))), Map.of(), 1).get(0);
    Object down = e.op("Sub", List.of(x, e.constant(HostTensor.scalar(dt, bias))), Map.of(), 1).get(0);
    Object up = e.op("AddV2", List.of(x, e.constant(HostTensor.scalar(dt, bias))), Map.of(), 1).get(0);
    Object outer = e.op("SelectV2", List.of(above, down, e.constant(HostTensor.scalar(dt, 0))), Map.of(), 1).get(0);
    return e.op("SelectV2", List.of(below, up, outer), Map.of(), 1);
  }

  static List<Object> clip(TfEmitter e) {
    var dtype = e.node().input(0).type().dtype();
    double lo = e.node().attrs().getDouble("min");
    double hi = e.node().attrs().getDouble("max");
    Object y = e.input(0);
    if (!Double.isInfinite(lo)) y = e.op("Maximum", List.of(y, e.constant(HostTensor.scalar(dtype, lo))), Map.of(), 1).get(0);
    if (!Double.isInfinite(hi)) y = e.op("Minimum", List.of(y, e.constant(HostTensor.scalar(dtype, hi))), Map.of(), 1).get(0);
    if (y == e.input(0)) return e.op("Identity", List.of(y), Map.of(), 1);
    return List.of(y);
  }

  /** TF's IsInf takes both signs; one sign alone is IsInf AND (x &gt; 0) (or x &lt; 0). */
  static List<Object> isInf(TfEmitter e) {
    Attrs a = e.node().attrs();
    boolean pos = a.getBool("detect_positive");
    boolean neg = a.getBool("detect_negative");
    Object x = e.input(0);
    Object isInf = e.op("IsInf", List.of(x), Map.of(), 1).get(0);
    if (pos && neg) return List.of(isInf);
    if (!pos && !neg) {
      // Neither sign asked for: all false, with x's shape.
      return e.op("LogicalAnd", List.of(isInf, e.constant(HostTensor.ofBooleans(new boolean[] {false}))), Map.of(), 1);
    }
    Object zero = e.constant(HostTensor.scalar(e.node().input(0).type().dtype(), 0));
    Object side = e.op(pos ? "Greater" : "Less", List.of(x, zero), Map.of(), 1).get(0);
    return e.op("LogicalAnd", List.of(isInf, side), Map.of(), 1);
  }

  static List<Object> reluGrad(TfEmitter e) { return e.op("ReluGrad", Arrays.asList(e.input(1), e.input(0)), Map.of(), 1); }

  static List<Object> div(TfEmitter e) {
    String type = e.node().output().type().dtype().isFloating() ? "RealDiv" : "TruncateDiv";
    return e.op(type, List.of(e.input(0), e.input(1)), Map.of(), 1);
  }

  /**
   * FloorMod for the divisor's sign, TruncateMod for the dividend's. NOTE: for unsigned types the two
   * agree, so FloorMod (which has kernels for them) serves both; TF's CPU TruncateMod has kernels for
   * i32, i64, f32 and f64 only, so i8/i16 go through i32 and f16/bf16 through f32 (exact: the
   * remainder is no larger than the operands).
   */
  static List<Object> mod(TfEmitter e) {
    DType d = e.node().input(0).type().dtype();
    boolean unsigned = d.isUnsigned();
    if (!e.node().attrs().getBool("fmod") || unsigned) {
      return e.op("FloorMod", List.of(e.input(0), e.input(1)), Map.of(), 1);
    }
    DType via = switch (d) {
      case I8, I16 -> DType.I32;
      case F16, BF16 -> DType.F32;
      default -> d;
    };
    if (via == d) return e.op("TruncateMod", List.of(e.input(0), e.input(1)), Map.of(), 1);
    Object a = e.op("Cast", List.of(e.input(0)), Map.of("DstT", via), 1).get(0);
    Object b = e.op("Cast", List.of(e.input(1)), Map.of("DstT", via), 1).get(0);
    Object r = e.op("TruncateMod", List.of(a, b), Map.of(), 1).get(0);
    return e.op("Cast", List.of(r), Map.of("DstT", d), 1);
  }

  static List<Object> bitShift(TfEmitter e) {
    return e.op(e.node().attrs().getString("direction").equals("LEFT") ? "LeftShift" : "RightShift",
        List.of(e.input(0), e.input(1)), Map.of(), 1);
  }
}
