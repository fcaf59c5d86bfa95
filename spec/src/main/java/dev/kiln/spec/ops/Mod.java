package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfEmitter;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;
import java.util.Map;

/**
 * y = a mod b with NumPy broadcasting. With {@code fmod} = false (integers only) the remainder takes the
 * divisor's sign, as Python's {@code %} (-4 mod 3 = 2, 4 mod -3 = -2); with {@code fmod} = true it takes
 * the dividend's sign, as C's {@code fmod} (-4 mod 3 = -1), and floats need it. ONNX Mod-10 / Mod-13
 * (adds bfloat16); TF FloorMod / TruncateMod.
 */
public final class Mod extends Binary {
  @Override public String summary() { return "y = a mod b (broadcasting; sign of b, or of a with fmod)"; }

  @Override public Signature signature() {
    return Signature.inputs("a", "b").attr("fmod", AttrKind.BOOL, false,
        "remainder with the dividend's sign (C fmod) instead of the divisor's; required for floats");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    List<TensorType> out = super.inferTypes(in, attrs);
    // ONNX defines floating Mod only as fmod: Python-style float modulo is not part of the op.
    if (in.get(0).dtype().isFloating() && !attrs.getBool("fmod")) {
      throw new ShapeException("floating-point inputs need fmod = true, got " + in.get(0) + " with fmod = false");
    }
    return out;
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("Mod", 10).attr("fmod", "fmod", Onnx::boolToInt),
        Onnx.op("Mod", 13).attr("fmod", "fmod", Onnx::boolToInt));
  }

  @Override public TfLowering tf() { return TfLowering.custom("FloorMod / TruncateMod", Mod::emitTf); }

  /**
   * FloorMod for the divisor's sign, TruncateMod for the dividend's. NOTE: for unsigned types the two
   * agree, so FloorMod (which has kernels for them) serves both; TF's CPU TruncateMod has kernels for
   * i32, i64, f32 and f64 only, so i8/i16 go through i32 and f16/bf16 through f32 (exact: the
   * remainder is no larger than the operands).
   */
  private static List<Object> emitTf(TfEmitter e) {
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

  /**
   * da = gy; db = -gy * q with q = (a - y) / b the integer quotient taken (floats, fmod): y = a - b q
   * and q is locally constant. No gradient exists where a / b is an integer (y jumps there).
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value a = node.input(0);
      Value d = node.input(1);
      Value gy = gys.get(0);
      Value q = g.div(g.sub(a, node.output()), d);
      return List.of(gy, g.neg(g.mul(gy, q)));
    };
  }
}
