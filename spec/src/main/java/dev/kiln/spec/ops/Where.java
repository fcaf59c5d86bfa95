package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.HostArrays;
import dev.kiln.spec.op.HostMath;
import dev.kiln.spec.op.SymInt;
import java.util.ArrayList;
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

  /**
   * A constant condition selecting between constants (byte copies, any dtype), or between shape values
   * entry by entry ({@code Where(shape == -1, 1, shape)}, as exporters write for Expand's target).
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      HostTensor c = in.get(0).constant();
      if (c == null) return null;
      HostTensor a = in.get(1).constant();
      HostTensor b = in.get(2).constant();
      if (a != null && b != null) {
        long[] shape = HostMath.broadcastShape(HostMath.broadcastShape(c.shape(), a.shape()), b.shape());
        return Folding.fits(shape) ? List.of(Folded.of(HostArrays.where(c, a, b))) : null;
      }
      List<SymInt> x = in.get(1).entries();
      List<SymInt> y = in.get(2).entries();
      if (x == null || y == null || c.rank() > 1) return null;
      int n = (int) Math.max(c.size(), Math.max(x.size(), y.size()));
      if (c.size() == 0 || x.isEmpty() || y.isEmpty()) return null;
      List<SymInt> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean pick = c.getDouble(c.size() == 1 ? 0 : i) != 0;
        out.add(pick ? x.get(x.size() == 1 ? 0 : i) : y.get(y.size() == 1 ? 0 : i));
      }
      boolean scalar = c.rank() == 0 && in.get(1).isScalar() && in.get(2).isScalar();
      return List.of(Folded.ints(d(in), out, scalar));
    };
  }

  private static DType d(List<Folded> in) { return in.get(1).type().dtype(); }

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
