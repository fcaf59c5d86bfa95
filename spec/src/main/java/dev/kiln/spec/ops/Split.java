package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Cuts x along {@code axis} into consecutive pieces: of the sizes {@code split}, or, when {@code split} is
 * empty, into {@code outputs} parts of ceil(D / outputs) each (the last one smaller when D does not divide,
 * as ONNX Split-18's {@code num_outputs}). ONNX Split-13 (sizes as an input, always given explicitly, so
 * every opset from 13 reads them the same way); TF SplitV. Its gradient is one Concat of the pieces'
 * gradients, where per-piece Slices would pad each gradient back to x's full shape and add them up.
 */
public final class Split extends Op {
  @Override public String summary() { return "y0, y1, ... = x cut along axis into pieces of the sizes split (or equal parts)"; }

  @Override public Signature signature() {
    return Signature.inputs("x").varyingOutputs()
        .attr("axis", AttrKind.INT, 0L, "the axis to cut (negative counts from the end); its size must be static")
        .attr("split", AttrKind.INTS, new long[0], "the pieces' sizes along axis, summing to its size; empty: equal parts")
        .attr("outputs", AttrKind.INT, 0L, "how many pieces; needed when split is empty, else 0 or len(split)");
  }

  /** The normalised axis and the pieces' sizes, checked against x. */
  public static long[] sizes(TensorType x, Attrs a) {
    if (x.rank() == 0) throw new ShapeException("input x must have rank >= 1, got scalar " + x);
    int ax = x.shape().axis("Split", a.getLong("axis"));
    Dim d = x.shape().dim(ax);
    if (!d.isStatic()) throw new ShapeException("axis " + ax + " of input x " + x + " must have a static size, got " + d);
    long len = d.size();
    long[] split = a.getLongs("split");
    long outs = a.getLong("outputs");
    if (split.length == 0) {
      if (outs < 1) throw new ShapeException("attribute outputs must be >= 1 when split is empty, got " + outs);
      long part = (len + outs - 1) / outs;
      long[] s = new long[Math.toIntExact(outs)];
      for (int i = 0; i < s.length; i++) s[i] = Math.max(0, Math.min(part, len - part * i));
      return s;
    }
    if (outs != 0 && outs != split.length) {
      throw new ShapeException("attribute outputs " + outs + " differs from the " + split.length + " sizes in split " + Arrays.toString(split));
    }
    long sum = 0;
    for (long v : split) {
      if (v < 0) throw new ShapeException("split sizes must be >= 0, got " + Arrays.toString(split));
      sum += v;
    }
    if (sum != len) {
      throw new ShapeException("split sizes " + Arrays.toString(split) + " add up to " + sum + ", expected " + len
          + " (the size of axis " + ax + " of input x " + x + ")");
    }
    return split.clone();
  }

  private static int axis(TensorType x, Attrs a) { return x.shape().axis("Split", a.getLong("axis")); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    long[] s = sizes(x, attrs);
    int ax = axis(x, attrs);
    List<TensorType> out = new ArrayList<>();
    for (long v : s) {
      List<Dim> dims = new ArrayList<>(x.shape().dims());
      dims.set(ax, Dim.of(v));
      out.add(x.withShape(dev.kiln.spec.Shape.of(dims)));
    }
    return out;
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Split", 13, Split::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Node n = e.node();
    TensorType x = n.input(0).type();
    long[] s = sizes(x, n.attrs());
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < s.length; i++) outs.add(e.output(i));
    e.emit("Split", List.of(e.input(0), e.constant(HostTensor.ofLongs(s, s.length), "split")), outs,
        Map.of("axis", (long) axis(x, n.attrs())));
  }

  @Override public TfLowering tf() { return TfLowering.custom("SplitV"); }

  /** dx = the pieces' gradients joined along the axis; a piece that got none contributes zeros. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      List<Value> parts = new ArrayList<>();
      for (int i = 0; i < node.outputs().size(); i++) {
        Value g = i < gys.size() ? gys.get(i) : null;
        parts.add(g != null ? g : zerosLike(b, node.outputs().get(i)));
      }
      long ax = axis(node.input(0).type(), node.attrs());
      Value dx = parts.size() == 1 ? parts.get(0) : Ops.concat(b, parts, ax);
      return List.of(dx);
    };
  }

  /** Zeros of v's type: a scalar 0 broadcast to v's shape (v's values are not read, so NaNs stay out). */
  private static Value zerosLike(GraphBuilder b, Value v) {
    Value zero = Ops.constant(b, HostTensor.scalar(v.type().dtype(), 0));
    return Ops.broadcastLike(b, zero, v);
  }
}
