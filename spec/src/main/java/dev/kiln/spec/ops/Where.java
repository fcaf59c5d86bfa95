package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;

/**
 * y = a where cond else b, elementwise; all three broadcast together (NumPy rules). ONNX Where-9 /
 * Where-16 (adds bfloat16); TF SelectV2 (the broadcasting select).
 */
public final class Where extends Op {
  @Override public String summary() { return "y = a where cond else b (broadcasting all three)"; }

  @Override public Signature signature() { return Signature.inputs("cond", "a", "b"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    if (in.get(0).dtype() != DType.BOOL) throw new ShapeException("input cond must be bool, got " + in.get(0));
    DType d = TypeRules.sameDType(in.subList(1, 3));
    var shape = TypeRules.broadcast(TypeRules.broadcast(in.get(0).shape(), in.get(1).shape()), in.get(2).shape());
    return List.of(new TensorType(d, shape));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Where", 9), Onnx.op("Where", 16)); }

  @Override public TfLowering tf() { return TfLowering.op("SelectV2"); }

  /** da = gy where cond else 0, db = gy where not cond else 0; cond gets none. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value cond = node.input(0);
      return Arrays.asList(null, g.keep(cond, gys.get(0)), g.drop(cond, gys.get(0)));
    };
  }
}
