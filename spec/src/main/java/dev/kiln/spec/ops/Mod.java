package dev.kiln.spec.ops;

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
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

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

  @Override public TfLowering tf() { return TfLowering.custom("FloorMod / TruncateMod"); }

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
