package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * y = sum of x over {@code axes} (empty = all axes), keeping reduced axes as size 1 when
 * {@code keepdims}. ONNX ReduceSum-13 (axes as an input).
 */
public final class ReduceSum extends Op {
  @Override public String summary() { return "y = sum(x) over axes (empty = all), keepdims keeps them as 1"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .attr("axes", AttrKind.INTS, new long[0], "axes to reduce; empty reduces all")
        .attr("keepdims", AttrKind.BOOL, true, "keep reduced axes as size 1");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireNumeric("input x", x);
    boolean[] reduced = reducedAxes(x.shape(), attrs.getLongs("axes"));
    boolean keep = attrs.getBool("keepdims");
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (!reduced[i]) out.add(x.shape().dim(i));
      else if (keep) out.add(Dim.of(1));
    }
    return List.of(x.withShape(Shape.of(out)));
  }

  /** Which axes {@code axes} names (all when empty), normalised and checked. */
  static boolean[] reducedAxes(Shape s, long[] axes) {
    boolean[] r = new boolean[s.rank()];
    if (axes.length == 0) Arrays.fill(r, true);
    for (long a : axes) {
      int i = s.axis("axes", a);
      if (r[i]) throw new dev.kiln.spec.ShapeException("axes names axis " + i + " twice: " + Arrays.toString(axes));
      r[i] = true;
    }
    return r;
  }

  @Override public OnnxLowering onnx() {
    // An empty axes list is left out, which ONNX reads as "reduce all" (noop_with_empty_axes = 0).
    return Onnx.forms(Onnx.custom("ReduceSum", 13, e -> {
      long[] axes = e.node().attrs().getLongs("axes");
      List<String> ins = new ArrayList<>(List.of(e.input(0)));
      if (axes.length > 0) ins.add(e.constant(HostTensor.ofLongs(axes, axes.length), "axes"));
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("keepdims", Onnx.boolToInt(e.node().attrs().getBool("keepdims")));
      e.emit("ReduceSum", ins, List.of(e.output(0)), a);
    }));
  }

  @Override public TfLowering tf() {
    return TfLowering.custom("Sum", e -> {
      Shape s = e.node().input(0).type().shape();
      boolean[] r = reducedAxes(s, e.node().attrs().getLongs("axes"));
      long[] axes = java.util.stream.IntStream.range(0, r.length).filter(i -> r[i]).asLongStream().toArray();
      Object ax = e.constant(HostTensor.ofLongs(axes, axes.length));
      return e.op("Sum", List.of(e.input(0), ax), Map.of("keep_dims", e.node().attrs().getBool("keepdims")), 1);
    });
  }

  /** dx = gy with the reduced axes restored as size 1, broadcast back over x's shape (BroadcastLike). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Value x = node.input(0);
      Value gy = gys.get(0);
      Shape xs = x.type().shape();
      boolean[] r = reducedAxes(xs, node.attrs().getLongs("axes"));
      Value kept = gy;
      if (!node.attrs().getBool("keepdims")) {
        // Put the reduced axes back as size 1; symbolic dims are copied by position or inferred.
        List<Dim> keptDims = new ArrayList<>();
        for (int i = 0; i < xs.rank(); i++) keptDims.add(r[i] ? Dim.of(1) : xs.dim(i));
        kept = Reshape.to(b, gy, Shape.of(keptDims));
      }
      return List.of(b.apply1("BroadcastLike", Attrs.EMPTY, kept, x));
    };
  }
}
