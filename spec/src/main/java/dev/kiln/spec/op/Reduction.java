package dev.kiln.spec.op;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base for reductions over a set of axes (ReduceSum, ReduceMean, ReduceMax): attributes {@code axes}
 * (empty = all axes) and {@code keepdims} (reduced axes stay as size 1). Provides the type rule and
 * both ONNX spellings of {@code axes} (attribute in older opsets, input in newer ones).
 */
public abstract class Reduction extends Op {
  @Override public Signature signature() {
    return Signature.inputs("x")
        .attr("axes", AttrKind.INTS, new long[0], "axes to reduce (negative counts from the end); empty = all")
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
    return List.of(new TensorType(x.dtype(), Shape.of(out)));
  }

  /** Which axes of {@code shape} the attribute {@code axes} reduces; rejects out-of-range and repeated axes. */
  public static boolean[] reducedAxes(Shape shape, long[] axes) {
    boolean[] reduced = new boolean[shape.rank()];
    if (axes.length == 0) {
      Arrays.fill(reduced, true);
      return reduced;
    }
    for (long a : axes) {
      long n = a < 0 ? a + shape.rank() : a;
      if (n < 0 || n >= shape.rank()) {
        throw new ShapeException("axis " + a + " in axes " + Arrays.toString(axes) + " is out of range for rank "
            + shape.rank() + " input " + shape);
      }
      if (reduced[(int) n]) throw new ShapeException("axes " + Arrays.toString(axes) + " name axis " + n + " twice");
      reduced[(int) n] = true;
    }
    return reduced;
  }

  /** The ONNX form that takes {@code axes} as an attribute (omitted when empty, so ONNX reduces all axes). */
  protected static OnnxForm axesAttribute(String opType, int since) {
    return Onnx.custom(opType, since, e -> {
      Attrs a = e.node().attrs();
      Map<String, Object> attrs = new LinkedHashMap<>();
      if (a.getLongs("axes").length > 0) attrs.put("axes", a.getLongs("axes"));
      attrs.put("keepdims", Onnx.boolToInt(a.getBool("keepdims")));
      e.emit(opType, List.of(e.input(0)), List.of(e.output(0)), attrs);
    });
  }

  /**
   * The ONNX form that takes {@code axes} as an optional int64 input (left out when empty; with
   * {@code noop_with_empty_axes} at its default 0, ONNX then reduces all axes).
   */
  protected static OnnxForm axesInput(String opType, int since) {
    return Onnx.custom(opType, since, e -> {
      Attrs a = e.node().attrs();
      long[] axes = a.getLongs("axes");
      List<String> ins = new ArrayList<>(List.of(e.input(0)));
      if (axes.length > 0) ins.add(e.constant(HostTensor.ofLongs(axes, axes.length), "axes"));
      e.emit(opType, ins, List.of(e.output(0)), Map.of("keepdims", Onnx.boolToInt(a.getBool("keepdims"))));
    });
  }

  /**
   * The TF form onto {@code tfOpType} (Sum, Mean, Max, Prod): a handler (the axes go in as a
   * {@code reduction_indices} tensor, every axis when {@code axes} is empty; {@code keep_dims} as an attr).
   */
  protected static TfLowering tfReduce(String tfOpType) { return TfLowering.custom(tfOpType); }

  /**
   * A gradient {@code gy} of this reduction's output reshaped so the reduced axes are back as size 1
   * (a no-op with keepdims); VJP rules then broadcast it to the input's shape.
   */
  protected static dev.kiln.spec.ir.Value keptDims(dev.kiln.spec.ir.GraphBuilder b, dev.kiln.spec.ir.Node node,
                                                   dev.kiln.spec.ir.Value gy) {
    if (node.attrs().getBool("keepdims")) return gy;
    Shape xs = node.input(0).type().shape();
    boolean[] r = reducedAxes(xs, node.attrs().getLongs("axes"));
    java.util.List<dev.kiln.spec.Dim> dims = new java.util.ArrayList<>();
    for (int i = 0; i < xs.rank(); i++) dims.add(r[i] ? dev.kiln.spec.Dim.of(1) : xs.dim(i));
    try {
      return dev.kiln.spec.ops.Reshape.reshapeTo(b, gy, Shape.of(dims));
    } catch (dev.kiln.spec.ShapeException e) {
      // Several dynamic dims kept: the kept shape is read at run time from the same reduction with keepdims.
      dev.kiln.spec.ir.Value kept = b.apply(node.op(), java.util.List.of(node.input(0)), node.attrs().with("keepdims", true)).get(0);
      return Ops.dynamicReshape(b, gy, Ops.shape(b, kept));
    }
  }
}
