package dev.kiln.spec.op;

import dev.kiln.spec.Dim;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared parts of the sliding-window ops (Conv, MaxPool, AveragePool): the IR keeps {@code strides},
 * {@code pads} and {@code dilations} empty when they take their defaults (1, 0, 1 on every spatial
 * axis); these helpers expand and check them against the number of spatial axes, compute output
 * sizes, and emit ONNX attributes fully spelled out.
 */
public final class Windows {
  private Windows() {}

  /** Window attributes expanded to {@code n} spatial axes; {@code pads} holds all begins, then all ends. */
  public record Geometry(long[] kernel, long[] strides, long[] pads, long[] dilations) {
    public int spatial() { return kernel.length; }
  }

  /** Expands and validates {@code strides}/{@code pads}/{@code dilations} (a missing attr counts as default). */
  public static Geometry geometry(long[] kernel, Attrs a) {
    int n = kernel.length;
    for (int i = 0; i < n; i++) {
      if (kernel[i] < 1) throw new ShapeException("kernel sizes must be >= 1, got " + java.util.Arrays.toString(kernel));
    }
    long[] strides = expand("strides", a, n, 1);
    long[] pads = expand("pads", a, 2 * n, 0);
    long[] dil = expand("dilations", a, n, 1);
    for (int i = 0; i < n; i++) {
      if (strides[i] < 1) throw new ShapeException("strides must be >= 1, got " + java.util.Arrays.toString(strides));
      if (dil[i] < 1) throw new ShapeException("dilations must be >= 1, got " + java.util.Arrays.toString(dil));
    }
    for (long p : pads) if (p < 0) throw new ShapeException("pads must be >= 0, got " + java.util.Arrays.toString(pads));
    return new Geometry(kernel, strides, pads, dil);
  }

  private static long[] expand(String name, Attrs a, int n, long dflt) {
    if (!a.has(name)) return TypeRules.repeat(dflt, n);
    long[] v = a.getLongs(name);
    if (v.length == 0) return TypeRules.repeat(dflt, n);
    if (v.length != n) {
      throw new ShapeException(name + " must have " + n + " entries (" + (name.equals("pads") ? "begins then ends of "
          + n / 2 : String.valueOf(n)) + " spatial axes), got " + java.util.Arrays.toString(v));
    }
    return v;
  }

  /** Output spatial dims of a window op over the spatial axes of {@code x} (axes 2..). */
  public static List<Dim> spatialOut(TensorType x, Geometry g, boolean ceil) {
    List<Dim> out = new ArrayList<>();
    int n = g.spatial();
    for (int i = 0; i < n; i++) {
      out.add(TypeRules.windowOut("spatial axis " + (i + 2), x.shape().dim(i + 2), g.kernel[i], g.strides[i],
          g.dilations[i], g.pads[i], g.pads[i + n], ceil));
    }
    return out;
  }

  /** Checks that {@code x} is [N, C, *spatial] with 1 to 3 spatial axes. */
  public static void requireSpatialRank(TensorType x) {
    if (x.rank() < 3 || x.rank() > 5) {
      throw new ShapeException("input x must be [N, C, *spatial] with 1 to 3 spatial axes, got " + x);
    }
  }

  /** ONNX attributes of a window op, with defaults spelled out (ONNX wants lists of the spatial length). */
  public static Map<String, Object> onnxAttrs(Geometry g, boolean withKernel, boolean withDilations) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (withKernel) m.put("kernel_shape", g.kernel.clone());
    m.put("strides", g.strides.clone());
    m.put("pads", g.pads.clone());
    if (withDilations) m.put("dilations", g.dilations.clone());
    return m;
  }

  /** Emits the node's op with its inputs and outputs unchanged and {@code attrs}. */
  public static void emitSame(OnnxEmitter e, String opType, Map<String, Object> attrs) {
    List<String> ins = new ArrayList<>();
    for (int i = 0; i < e.node().inputs().size(); i++) ins.add(e.input(i));
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < e.node().outputs().size(); i++) outs.add(e.output(i));
    e.emit(opType, ins, outs, attrs);
  }
}
