package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.Grad;
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
 * Layer normalisation over the axes from {@code axis} to the last: {@code y = (x - mean) / sqrt(var + epsilon)
 * * scale + bias}, mean and (biased) variance per leading index, scale and bias broadcast against
 * {@code x.shape[axis:]}. ONNX LayerNormalization-17. With {@code stats} the node also outputs ONNX's
 * {@code Mean} and {@code InvStdDev} (shape of x with the normalised axes kept as 1, in the stash type f32).
 *
 * <p>A composite: exported natively from opset 17 and as its decomposition (ReduceMean, Sub, Mul, Sqrt,
 * Div, Add) below; on TF the same arithmetic in TF ops; the gradient has its own rule (fewer nodes than
 * differentiating the decomposition).
 */
public final class LayerNormalization extends Op {
  @Override public String summary() { return "y = (x - mean) / sqrt(var + epsilon) * scale + bias over axes axis.., (Mean, InvStdDev)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "scale", "bias").optionalFrom(2).varyingOutputs()
        .attr("axis", AttrKind.INT, -1L, "first normalised axis; the axes from it to the last are normalised")
        .attr("epsilon", AttrKind.FLOAT, 1e-5, "added to the variance")
        .attr("stash_type", AttrKind.INT, 1L, "ONNX's precision of Mean/InvStdDev: 1 (f32) is the one supported")
        .attr("stats", AttrKind.BOOL, false, "also output Mean and InvStdDev");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireFloat("input x", x);
    TypeRules.requireRankAtLeast("input x", x, 1);
    int axis = x.shape().axis("attribute axis", attrs.getLong("axis"));
    Shape norm = Shape.of(x.shape().dims().subList(axis, x.rank()));
    String[] names = {"scale", "bias"};
    for (int i = 1; i < in.size(); i++) {
      TensorType p = in.get(i);
      if (p == null) continue;
      if (p.dtype() != x.dtype()) throw new ShapeException("input " + names[i - 1] + " must be " + x.dtype() + " like x, got " + p);
      if (p.rank() > norm.rank() || !broadcastsTo(p.shape(), norm)) {
        throw new ShapeException("input " + names[i - 1] + " " + p + " must broadcast to the normalised dims " + norm + " of x " + x);
      }
    }
    if (!(attrs.getDouble("epsilon") >= 0)) throw new ShapeException("attribute epsilon must be >= 0, got " + attrs.getDouble("epsilon"));
    if (attrs.getLong("stash_type") != 1) throw new ShapeException("attribute stash_type must be 1 (f32), got " + attrs.getLong("stash_type"));
    if (!attrs.getBool("stats")) return List.of(x);
    List<Dim> kept = new ArrayList<>(x.shape().dims());
    for (int a = axis; a < x.rank(); a++) kept.set(a, Dim.of(1));
    TensorType stat = new TensorType(DType.F32, Shape.of(kept));
    return List.of(x, stat, stat);
  }

  /** Whether {@code p} broadcasts one-way to {@code target} (each of its trailing dims 1 or equal). */
  private static boolean broadcastsTo(Shape p, Shape target) {
    for (int i = 0; i < p.rank(); i++) {
      Dim d = p.dim(p.rank() - 1 - i);
      if (!d.is(1) && !d.equals(target.dim(target.rank() - 1 - i))) return false;
    }
    return true;
  }

  @Override public OnnxLowering onnx() {
    return Onnx.op("LayerNormalization", 17).attr("axis").attr("epsilon").attr("stash_type").lowering();
  }

  @Override public TfLowering tf() { return TfLowering.custom("LayerNorm decomposed"); }

  /** The normalised axes of {@code node}'s x. */
  public static long[] axes(Node node) {
    TensorType x = node.input(0).type();
    int axis = x.shape().axis("LayerNormalization", node.attrs().getLong("axis"));
    long[] axes = new long[x.rank() - axis];
    for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
    return axes;
  }

  private static Value mean(GraphBuilder b, Value v, long[] axes) {
    return Ops.reduceMean(b, v, axes, true);
  }

  /** 1 / sqrt(var + epsilon) and x - mean, the statistics over the normalised axes. */
  private static Value[] stats(GraphBuilder b, Node node, Value x) {
    Grad g = Grad.in(b);
    long[] axes = axes(node);
    Value m = mean(b, x, axes);
    Value d = g.sub(x, m);
    Value var = mean(b, g.mul(d, d), axes);
    Value inv = g.div(g.scalar(x, 1), Ops.sqrt(b, g.add(var, g.scalar(x, node.attrs().getDouble("epsilon")))));
    return new Value[] {m, d, inv};
  }

  @Override public Decomposition decomposition() {
    return (b, node, in) -> {
      Grad g = Grad.in(b);
      Value[] s = stats(b, node, in.get(0));
      Value y = g.mul(g.mul(s[1], s[2]), in.get(1));
      if (in.size() > 2 && in.get(2) != null) y = g.add(y, in.get(2));
      if (!node.attrs().getBool("stats")) return List.of(y);
      return List.of(y, toF32(b, s[0]), toF32(b, s[2]));
    };
  }

  private static Value toF32(GraphBuilder b, Value v) {
    return v.type().dtype() == DType.F32 ? v : Ops.cast(b, v, DType.F32);
  }

  /**
   * With r = 1/sqrt(var + eps), xhat = (x - mean) r and gs = gy scale:
   * dx = r (gs - mean(gs) - xhat mean(gs xhat)); dscale = gy xhat; dbias = gy (the driver sums both down
   * to their shapes). Mean and InvStdDev, when output, add (gMean - gInv r^3 (x - mean)) / n to dx.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      long[] axes = axes(node);
      Value x = node.input(0);
      Value[] s = stats(b, node, x);
      Value r = s[2];
      Value xhat = g.mul(s[1], r);
      Value gy = gys.get(0);
      Value gs = g.mul(gy, node.input(1));
      Value dx = g.mul(r, g.sub(g.sub(gs, mean(b, gs, axes)), g.mul(xhat, mean(b, g.mul(gs, xhat), axes))));
      if (node.attrs().getBool("stats")) {
        Value gm = g.castLike(gys.get(1), x);
        Value gi = g.castLike(gys.get(2), x);
        Value perElem = g.sub(gm, g.mul(g.mul(gi, g.mul(r, g.mul(r, r))), s[1]));
        // NOTE: mean(c broadcast over the axes) / n spelled as a ReduceMean of the per-element term scaled by
        // 1/n, where 1/n = mean(1) / sum(1) also holds for symbolic normalised dims.
        Value ones = g.broadcastLike(g.scalar(x, 1), x);
        Value invN = g.div(mean(b, ones, axes), g.sumKept(ones, axes));
        dx = g.add(dx, g.mul(perElem, invN));
      }
      List<Value> out = new ArrayList<>(List.of(dx, g.mul(gy, xhat)));
      if (node.inputs().size() > 2 && node.input(2) != null) out.add(gy);
      return out;
    };
  }
}
