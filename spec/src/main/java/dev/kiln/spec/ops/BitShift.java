package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;
import java.util.Map;

/**
 * y = x &lt;&lt; s ({@code direction} LEFT) or x &gt;&gt; s (RIGHT), elementwise with NumPy broadcasting;
 * unsigned integers. ONNX BitShift-11 (u16 through u32); TF LeftShift / RightShift.
 * NOTE: shifting by the bit width or more is undefined in C, and ONNX leaves it unspecified.
 */
public final class BitShift extends Binary {
  @Override public String summary() { return "y = x << s (LEFT) or x >> s (RIGHT) (broadcasting; unsigned)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "s").required("direction", AttrKind.STRING, "LEFT or RIGHT");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    if (!in.get(0).dtype().isUnsigned()) {
      throw new ShapeException("input x must be an unsigned integer tensor, got " + in.get(0));
    }
    String dir = attrs.getString("direction");
    if (!dir.equals("LEFT") && !dir.equals("RIGHT")) {
      throw new ShapeException("attribute direction must be LEFT or RIGHT, got '" + dir + "'");
    }
    return super.inferTypes(in, attrs);
  }

  @Override public OnnxLowering onnx() {
    return Onnx.op("BitShift", 11).attr("direction").orElseFor(DType.U16, BitShift::emitViaU32).lowering();
  }

  /**
   * ONNX Runtime has no u16 BitShift kernel: shift in u32 and cast back, which drops the bits a left shift
   * pushed past bit 15 (ONNX Cast between unsigned integers keeps the low bits).
   */
  private static void emitViaU32(OnnxEmitter e) {
    String x = e.fresh("x_u32");
    String s = e.fresh("s_u32");
    String y = e.fresh("y_u32");
    Map<String, Object> toU32 = Map.of("to", (long) DType.U32.onnxCode());
    e.emit("Cast", List.of(e.input(0)), List.of(x), toU32);
    e.emit("Cast", List.of(e.input(1)), List.of(s), toU32);
    e.emit("BitShift", List.of(x, s), List.of(y), Map.of("direction", e.node().attrs().getString("direction")));
    e.emit("Cast", List.of(y), List.of(e.output(0)), Map.of("to", (long) DType.U16.onnxCode()));
  }

  @Override public TfLowering tf() { return TfLowering.custom("LeftShift / RightShift"); }

  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
