package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.List;

/**
 * Matrix product with NumPy semantics: 1-D operands are promoted (and the added axis removed), leading
 * batch axes broadcast. ONNX MatMul-13.
 */
public final class MatMul extends Op {
  @Override public String summary() { return "y = a @ b (NumPy matmul: batched, broadcasting)"; }

  @Override public Signature signature() { return Signature.inputs("a", "b"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType a = in.get(0);
    TensorType b = in.get(1);
    TypeRules.requireNumeric("input a", a);
    var dtype = TypeRules.sameDType(in);
    if (a.rank() == 0 || b.rank() == 0) throw new ShapeException("operands must have rank >= 1, got " + a + " and " + b);
    List<Dim> sa = new ArrayList<>(a.shape().dims());
    List<Dim> sb = new ArrayList<>(b.shape().dims());
    boolean va = sa.size() == 1;
    boolean vb = sb.size() == 1;
    if (va) sa.add(0, Dim.of(1));
    if (vb) sb.add(Dim.of(1));
    Dim k1 = sa.get(sa.size() - 1);
    Dim k2 = sb.get(sb.size() - 2);
    try {
      TypeRules.unify("", k1, k2);
    } catch (ShapeException e) {
      throw new ShapeException("inner dimensions differ: " + a.shape() + " @ " + b.shape() + " (" + k1 + " vs " + k2 + ")");
    }
    Shape batch = TypeRules.broadcast(Shape.of(sa.subList(0, sa.size() - 2)), Shape.of(sb.subList(0, sb.size() - 2)));
    List<Dim> out = new ArrayList<>(batch.dims());
    if (!va) out.add(sa.get(sa.size() - 2));
    if (!vb) out.add(sb.get(sb.size() - 1));
    return List.of(new TensorType(dtype, Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("MatMul", 13).lowering(); }

  /**
   * TF's {@code BatchMatMulV2} broadcasts batch axes like NumPy but needs rank >= 2, so 1-D operands are
   * promoted with {@code ExpandDims} and the added axis removed with {@code Squeeze}, as NumPy does.
   */
  @Override public TfLowering tf() { return TfLowering.custom("MatMul / BatchMatMulV2 (1-D operands promoted)"); }

  /**
   * da = gy @ bᵀ, db = aᵀ @ gy over the last two axes. A 1-D operand is first made a matrix ([1, k] on
   * the left, [k, 1] on the right) and gy gets the matching size-1 axis back; batch axes that broadcast
   * are summed by the driver.
   */
  @Override public Vjp vjp() {
    return (g, node, gys) -> {
      Value a = node.input(0);
      Value b = node.input(1);
      boolean va = a.type().rank() == 1;
      boolean vb = b.type().rank() == 1;
      Value a2 = va ? Ops.reshape(g, a, new long[] {1, -1}) : a;
      Value b2 = vb ? Ops.reshape(g, b, new long[] {-1, 1}) : b;
      Value gy = gys.get(0);
      if (va || vb) {
        int batch = gy.type().rank() - (va ? 0 : 1) - (vb ? 0 : 1);
        long[] s = new long[batch + 2];
        // 0 copies a batch dim; the matrix axes are 1 for a promoted vector, else the one inferred size.
        s[batch] = va ? 1 : -1;
        s[batch + 1] = vb ? 1 : -1;
        if (va && vb) s = new long[] {1, 1};
        gy = Ops.reshape(g, gy, s);
      }
      Value da = Ops.matMul(g, gy, swapLast(g, b2));
      Value db = Ops.matMul(g, swapLast(g, a2), gy);
      // A promoted left vector's extra leading 1 is summed away as a broadcast axis; a right one's
      // trailing 1 must be dropped here, since the driver only sums leading axes.
      if (vb) {
        long[] s = new long[db.type().rank() - 1];
        s[s.length - 1] = -1;
        db = Ops.reshape(g, db, s);
      }
      return List.of(da, db);
    };
  }

  private static Value swapLast(GraphBuilder g, Value v) {
    int r = v.type().rank();
    long[] perm = new long[r];
    for (int i = 0; i < r; i++) perm[i] = i;
    perm[r - 2] = r - 1;
    perm[r - 1] = r - 2;
    return Ops.transpose(g, v, perm);
  }
}
