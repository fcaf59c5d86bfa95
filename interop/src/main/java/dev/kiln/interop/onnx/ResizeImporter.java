package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resize-10/11/13/18/19 and Upsample-7/9 onto the IR op Resize. Constant roi / scales / sizes become its
 * attributes; ones computed at run time stay inputs. Resize-10 and Upsample resize with asymmetric
 * coordinates and nearest rounding down (the behaviour those versions define). Opset 18's antialias,
 * axes and keep_aspect_ratio_policy are read only at their defaults.
 */
final class ResizeImporter {
  private ResizeImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Resize", ResizeImporter::resize);
    m.put("Upsample", ResizeImporter::upsample);
  }

  private static void upsample(NodeProto n, ImportContext c) {
    c.onlyAttrs("mode", "scales");
    Attrs a = legacy(c);
    if (c.opset() < 9) {
      if (c.attr("scales") == null) throw c.fail("attribute scales is required");
      c.define(Ops.resize(c, c.in(0), null, null, a.with("scales", floatsAttr(c))));
      return;
    }
    finish(c, a, null, c.in(1), null);
  }

  private static double[] floatsAttr(ImportContext c) {
    return c.attr("scales").getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
  }

  /** Resize-10 and Upsample: asymmetric coordinates, nearest rounding down, mode nearest or linear. */
  private static Attrs legacy(ImportContext c) {
    String mode = c.attrString("mode", "nearest");
    if (!mode.equals("nearest") && !mode.equals("linear")) throw c.fail("mode must be nearest or linear, got '" + mode + "'");
    return Attrs.of("mode", mode, "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor");
  }

  private static void resize(NodeProto n, ImportContext c) {
    if (c.opset() < 11) {
      c.onlyAttrs("mode");
      finish(c, legacy(c), null, c.in(1), null);
      return;
    }
    c.onlyAttrs("mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value",
        "antialias", "keep_aspect_ratio_policy", "axes");
    if (c.attrInt("antialias", 0) != 0) throw c.unsupported("antialias=1 is not supported");
    if (c.attr("axes") != null) throw c.unsupported("attribute axes is not supported");
    if (!c.attrString("keep_aspect_ratio_policy", "stretch").equals("stretch")) throw c.unsupported("keep_aspect_ratio_policy other than stretch is not supported");
    String mode = c.attrString("mode", "nearest");
    Attrs a = Attrs.of("mode", mode.equals("bilinear") || mode.equals("trilinear") ? "linear" : mode.equals("bicubic") ? "cubic" : mode,
        "coordinate_transformation_mode", c.attrString("coordinate_transformation_mode", "half_pixel"),
        "nearest_mode", c.attrString("nearest_mode", "round_prefer_floor"),
        "cubic_coeff_a", c.attrFloat("cubic_coeff_a", -0.75),
        "exclude_outside", c.attrInt("exclude_outside", 0) != 0,
        "extrapolation_value", c.attrFloat("extrapolation_value", 0.0));
    boolean crop = a.getString("coordinate_transformation_mode").equals("tf_crop_and_resize");
    finish(c, a, crop ? c.in(1) : null, c.in(2), c.in(3));  // roi matters only when cropping
  }

  /**
   * Constant operands (non-empty) become attributes; an empty constant counts as left out. Run-time ones
   * become the IR inputs size (sizes, else scales) and roi; a constant size before a run-time roi stays an
   * input too, so that roi keeps its place.
   */
  private static void finish(ImportContext c, Attrs a, Object roi, Object scales, Object sizes) {
    Object size = present(sizes) ? sizes : present(scales) ? scales : null;  // ONNX allows only one of them
    String sizeAttr = size == sizes ? "sizes" : "scales";
    if (size instanceof HostTensor t && !(roi != null && !(roi instanceof HostTensor))) {
      a = a.with(sizeAttr, sizeAttr.equals("sizes") ? t.toLongs() : t.toDoubles());
      size = null;
    } else if (size instanceof HostTensor t && sizeAttr.equals("scales") && t.dtype() != dev.kiln.spec.DType.F32) {
      throw c.fail("scales must be float, got " + t.dtype());
    }
    if (roi instanceof HostTensor t) {
      if (t.size() > 0) a = a.with("roi", t.toDoubles());
      roi = null;
    }
    c.define(Ops.resize(c, c.in(0), size == null ? null : c.toValue(size), roi, a));
  }

  private static boolean present(Object o) { return o != null && !(o instanceof HostTensor t && t.size() == 0); }
}
