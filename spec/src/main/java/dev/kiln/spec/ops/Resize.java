package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.ResizeTaps;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * y = x resized on every axis by interpolation: nearest (with nearest_mode's rounding), linear or cubic
 * (Keys' kernel with cubic_coeff_a, optionally excluding taps outside the input), the source coordinate of
 * each output position given by coordinate_transformation_mode. The output size is {@code sizes}, or
 * floor(input size * scale) from {@code scales}; both are attributes when constant, or when computed at run
 * time the optional input {@code size} (scales when floating, sizes when i64; then the output dims are
 * unknown), and likewise {@code roi} for tf_crop_and_resize (the attribute, or the optional input). ONNX Resize-13 (also read from Resize-10/11 and Upsample-7/9); TF: gathers
 * of the neighbouring indices weighted and summed per axis ({@link TfResize}). Differentiable through its
 * decomposition (the same gathers with host-computed indices and weights) when the sizes are static.
 */
public final class Resize extends Op {
  static final Set<String> MODES = Set.of("nearest", "linear", "cubic");
  static final Set<String> COORDINATE_MODES =
      Set.of("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize");
  static final Set<String> NEAREST_MODES = Set.of("round_prefer_floor", "round_prefer_ceil", "floor", "ceil");

  @Override public String summary() { return "y = x resized by nearest, linear or cubic interpolation (ONNX Resize)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "size", "roi").optionalFrom(1)
        .attr("mode", AttrKind.STRING, "nearest", "nearest, linear or cubic")
        .attr("coordinate_transformation_mode", AttrKind.STRING, "half_pixel",
            "half_pixel, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn or tf_crop_and_resize")
        .attr("nearest_mode", AttrKind.STRING, "round_prefer_floor", "round_prefer_floor, round_prefer_ceil, floor or ceil")
        .attr("cubic_coeff_a", AttrKind.FLOAT, -0.75, "the coefficient A of the cubic kernel")
        .attr("exclude_outside", AttrKind.BOOL, false, "cubic: weights of taps outside the input become 0, the rest renormalised")
        .attr("extrapolation_value", AttrKind.FLOAT, 0.0, "tf_crop_and_resize: the value of positions outside the input")
        .attr("scales", AttrKind.FLOATS, new double[0], "per-axis scale factors (constant); empty when sizes or an input give the size")
        .attr("sizes", AttrKind.INTS, new long[0], "per-axis output sizes (constant); empty when scales give them")
        .attr("roi", AttrKind.FLOATS, new double[0], "tf_crop_and_resize: starts then ends per axis, as fractions of the input");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType x = in.get(0);
    int r = x.rank();
    if (r < 1) throw new ShapeException("input x must have rank >= 1, got " + x);
    check("mode", a.getString("mode"), MODES);
    check("coordinate_transformation_mode", a.getString("coordinate_transformation_mode"), COORDINATE_MODES);
    check("nearest_mode", a.getString("nearest_mode"), NEAREST_MODES);
    if (!a.getString("mode").equals("nearest") && !x.dtype().isFloating()) {
      throw new ShapeException("mode " + a.getString("mode") + " needs a floating input x, got " + x);
    }
    if (x.dtype() == DType.BOOL) throw new ShapeException("input x must not be bool, got " + x);
    TensorType size = at(in, 1);
    TensorType roi = at(in, 2);
    TensorType scalesIn = size != null && size.dtype().isFloating() ? size : null;
    TensorType sizesIn = size != null && !size.dtype().isFloating() ? size : null;
    if (roi != null) vector("roi", roi, 2L * r, true);
    if (scalesIn != null) vector("size", scalesIn, r, true);
    if (sizesIn != null) vector("size", sizesIn, r, false);
    double[] scales = a.getDoubles("scales");
    long[] sizes = a.getLongs("sizes");
    double[] roiA = a.getDoubles("roi");
    if (scales.length != 0 && scales.length != r) throw new ShapeException("attribute scales must have " + r + " values, got " + Arrays.toString(scales));
    if (sizes.length != 0 && sizes.length != r) throw new ShapeException("attribute sizes must have " + r + " values, got " + Arrays.toString(sizes));
    if (roiA.length != 0 && roiA.length != 2 * r) throw new ShapeException("attribute roi must have " + 2 * r + " values, got " + Arrays.toString(roiA));
    int given = (scales.length > 0 ? 1 : 0) + (sizes.length > 0 ? 1 : 0) + (scalesIn != null ? 1 : 0) + (sizesIn != null ? 1 : 0);
    if (given != 1) throw new ShapeException("exactly one of scales and sizes (attribute or input) must be given, got " + given);
    for (double s : scales) if (!(s > 0)) throw new ShapeException("scales must be > 0, got " + Arrays.toString(scales));
    for (long s : sizes) if (s < 1) throw new ShapeException("sizes must be >= 1, got " + Arrays.toString(sizes));
    boolean crop = a.getString("coordinate_transformation_mode").equals("tf_crop_and_resize");
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < r; i++) {
      Dim d = x.shape().dim(i);
      if (sizes.length > 0) out.add(Dim.of(sizes[i]));
      else if (scales.length == 0 || (crop && roi != null)) out.add(Dim.unknown());
      else if (d.isStatic()) out.add(Dim.of((long) Math.floor(d.size() * scales[i] * (crop ? roiSpan(roiA, i, r) : 1))));
      else out.add(scales[i] == 1.0 && !crop ? d : Dim.unknown());
    }
    return List.of(new TensorType(x.dtype(), Shape.of(out)));
  }

  private static double roiSpan(double[] roi, int i, int r) { return roi.length == 0 ? 1 : roi[r + i] - roi[i]; }

  private static TensorType at(List<TensorType> in, int i) { return in.size() > i ? in.get(i) : null; }

  private static void check(String attr, String v, Set<String> allowed) {
    if (!allowed.contains(v)) throw new ShapeException("attribute " + attr + " must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + v + "'");
  }

  private static void vector(String what, TensorType t, long n, boolean floating) {
    boolean typeOk = floating ? t.dtype().isFloating() : t.dtype() == DType.I64;
    if (!typeOk || t.rank() != 1 || (t.shape().dim(0).isStatic() && t.shape().dim(0).size() != n)) {
      throw new ShapeException("input " + what + " must be a " + (floating ? "floating" : "i64") + " vector of " + n + " values, got " + t);
    }
  }

  private static boolean given(Node n, int i) { return n.inputs().size() > i && n.input(i) != null; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Resize", 13, Resize::emitOnnx)); }

  /** Inputs X, roi, scales, sizes: the node's inputs, or its attributes as constants, or "" (left out). */
  private static void emitOnnx(OnnxEmitter e) {
    Node n = e.node();
    Attrs a = n.attrs();
    double[] roi = a.getDoubles("roi");
    double[] scales = a.getDoubles("scales");
    long[] sizes = a.getLongs("sizes");
    boolean sizeIn = given(n, 1);
    boolean sizesIn = sizeIn && n.input(1).type().dtype() == DType.I64;
    String roiName = given(n, 2) ? e.input(2) : roi.length > 0 ? e.constant(floats(roi), "roi") : "";
    String scalesName = sizeIn && !sizesIn ? f32(e, n, 1) : scales.length > 0 ? e.constant(floats(scales), "scales") : "";
    String sizesName = sizesIn ? e.input(1) : sizes.length > 0 ? e.constant(HostTensor.ofLongs(sizes, sizes.length), "sizes") : "";
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("mode", a.getString("mode"));
    attrs.put("coordinate_transformation_mode", a.getString("coordinate_transformation_mode"));
    attrs.put("nearest_mode", a.getString("nearest_mode"));
    attrs.put("cubic_coeff_a", a.getDouble("cubic_coeff_a"));
    attrs.put("exclude_outside", Onnx.boolToInt(a.getBool("exclude_outside")));
    attrs.put("extrapolation_value", a.getDouble("extrapolation_value"));
    List<String> ins = new ArrayList<>(List.of(e.input(0), roiName, scalesName, sizesName));
    while (ins.get(ins.size() - 1).isEmpty()) ins.remove(ins.size() - 1);
    e.emit("Resize", ins, List.of(e.output(0)), attrs);
  }

  /** Input i as f32 (ONNX's scales must be float). */
  private static String f32(OnnxEmitter e, Node n, int i) {
    if (n.input(i).type().dtype() == DType.F32) return e.input(i);
    String c = e.fresh("scales_f32");
    e.emit("Cast", List.of(e.input(i)), List.of(c), Map.of("to", (long) DType.F32.onnxCode()));
    return c;
  }

  private static HostTensor floats(double[] v) { return HostTensor.fromDoubles(DType.F32, v, v.length); }

  @Override public TfLowering tf() { return TfLowering.custom("GatherV2/Mul/AddV2"); }

  /**
   * Per resized axis: y = sum over taps k of Gather(y, index_k, axis) * weight_k, with indices and weights
   * computed on the host ({@link ResizeTaps}); positions outside the input in tf_crop_and_resize take
   * extrapolation_value through a Where. Only for constant scales / sizes / roi.
   */
  @Override public Decomposition decomposition() {
    return (b, node, inputs) -> {
      for (int i = 1; i < 3; i++) {
        if (given(node, i)) throw new KilnException("Resize with roi, scales or sizes computed at run time has no decomposition (and no gradient)");
      }
      Attrs a = node.attrs();
      Shape xs = node.input(0).type().shape();
      Shape ys = node.output().type().shape();
      int r = xs.rank();
      double[] scales = a.getDoubles("scales");
      double[] roi = a.getDoubles("roi");
      boolean crop = a.getString("coordinate_transformation_mode").equals("tf_crop_and_resize");
      Value y = inputs.get(0);
      for (int i = 0; i < r; i++) {
        boolean sameSize = xs.dim(i).equals(ys.dim(i));
        if (!crop && sameSize && (scales.length == 0 || scales[i] == 1.0)) continue;
        if (!xs.dim(i).isStatic() || !ys.dim(i).isStatic()) {
          throw new KilnException("Resize: axis " + i + " must have static sizes to decompose, got " + xs.dim(i) + " -> " + ys.dim(i));
        }
        long in = xs.dim(i).size();
        long out = ys.dim(i).size();
        double scale = scales.length > 0 ? scales[i] : (double) out / in;
        ResizeTaps taps = ResizeTaps.of(in, out, scale, scales.length == 0, roi.length > 0 ? roi[i] : 0, roi.length > 0 ? roi[r + i] : 1, a);
        y = axis(b, y, i, r, taps, crop, a.getDouble("extrapolation_value"));
      }
      return List.of(Ops.identity(b, y));
    };
  }

  private static Value axis(GraphBuilder b, Value x, int i, int r, ResizeTaps taps, boolean crop, double fill) {
    DType dt = x.type().dtype();
    int out = taps.outside().length;
    long[] column = new long[r - i];
    Arrays.fill(column, 1);
    column[0] = out;
    Value acc = null;
    for (int k = 0; k < taps.index().length; k++) {
      Value idx = constant(b, HostTensor.ofLongs(taps.index()[k], out));
      Value g = Ops.gather(b, x, idx, (long) i);
      Value term = taps.index().length == 1 ? g : Ops.mul(b, g, constant(b, HostTensor.fromDoubles(dt, taps.weight()[k], column)));
      acc = acc == null ? term : Ops.add(b, acc, term);
    }
    if (crop) {
      Value mask = constant(b, HostTensor.ofBooleans(taps.outside(), column));
      acc = Ops.where(b, mask, constant(b, HostTensor.fromDoubles(dt, new double[] {fill})), acc);
    }
    return acc;
  }

  private static Value constant(GraphBuilder b, HostTensor t) { return Ops.constant(b, t); }
}
