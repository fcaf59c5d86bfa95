package dev.kiln.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.HostConv;
import dev.kiln.spec.ops.Ops;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The f64 forms of Conv, ConvTranspose and ConvFilterGrad (ConvF64: im2col and col2im in plain ONNX ops, since ONNX
 * Runtime's CPU Conv and ConvTranspose kernels are float-only) run in ONNX Runtime and checked against the plain-Java
 * f64 reference convolution {@link HostConv}, over strides, dilations, asymmetric pads, groups, bias, 1 and 2 spatial
 * axes and a symbolic batch. Both sides are f64 sums of the same products in different orders, so they agree to
 * ~1e-15 relative; 1e-12 leaves room and still fails on any misplaced or missing term (each term is ~1e-1).
 */
class ConvF64FormsTest {
  /** A geometry: batch, channels in and out, group, spatial sizes, kernel, strides, dilations, pads (begins, ends). */
  static Stream<HostConv> geometries() {
    return Stream.of(
        new HostConv(2, 1, 6, 1, new int[] {12, 12}, new int[] {5, 5}, new int[] {1, 1}, new int[] {1, 1}, new int[] {2, 2, 2, 2}),
        new HostConv(2, 3, 4, 1, new int[] {9, 8}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1, 1, 1}),
        new HostConv(1, 4, 6, 2, new int[] {10, 9}, new int[] {3, 2}, new int[] {2, 1}, new int[] {2, 1}, new int[] {0, 1, 2, 0}),
        new HostConv(3, 2, 3, 1, new int[] {11}, new int[] {4}, new int[] {3}, new int[] {1}, new int[] {1, 2}),
        new HostConv(2, 4, 4, 4, new int[] {6, 6}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1}));
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void formsMatchTheReference(HostConv h) {
    Random rnd = new Random(Arrays.hashCode(h.in()) * 31 + h.group());
    double[] x = random(rnd, h.xShape());
    double[] w = random(rnd, h.wShape());
    double[] bias = random(rnd, new long[] {h.o()});
    double[] gy = random(rnd, h.yShape());
    int r = h.in().length;
    long[] strides = longs(h.strides());
    long[] dil = longs(h.dilations());
    long[] pads = longs(h.pads());
    long[] outPad = new long[r];
    for (int i = 0; i < r; i++) {
      long reached = strides[i] * (h.out()[i] - 1) + dil[i] * (h.kernel()[i] - 1) + 1;
      outPad[i] = h.in()[i] + pads[i] + pads[i + r] - reached;
    }
    GraphBuilder b = new GraphBuilder("conv_f64");
    Value vx = b.input("x", batchFree(h.xShape()));
    Value vw = b.input("w", new TensorType(DType.F64, Shape.of(h.wShape())));
    Value vb = b.input("b", new TensorType(DType.F64, Shape.of(h.o())));
    Value vgy = b.input("gy", batchFree(h.yShape()));
    b.output("y", Ops.conv(b, vx, vw, vb, strides, pads, dil, h.group()));
    b.output("dx", Ops.convTranspose(b, vgy, vw, null, strides, pads, dil, h.group(), outPad));
    b.output("dw", Ops.convFilterGrad(b, vx, vgy, longs(h.kernel()), strides, pads, dil, h.group()));
    Map<String, HostTensor> out;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(b.build()).toByteArray())) {
      out = m.run(Map.of("x", HostTensor.ofDoubles(x, h.xShape()), "w", HostTensor.ofDoubles(w, h.wShape()),
          "b", HostTensor.ofDoubles(bias, h.o()), "gy", HostTensor.ofDoubles(gy, h.yShape())));
    }
    double[] y = h.forward(x, w);
    int per = y.length / (h.n() * h.o());
    for (int i = 0; i < y.length; i++) y[i] += bias[(i / per) % h.o()];
    close("y", y, out.get("y"));
    close("dx", h.inputGrad(gy, w), out.get("dx"));
    close("dw", h.filterGrad(x, gy), out.get("dw"));
  }

  /**
   * The f64 GlobalAveragePool form (ReduceMean over the spatial axes, whose axes moved from an attribute to an input at
   * opset 18) at both sides of that change and the newest opset, against the mean computed here.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {13, 17, 18, 21})
  void globalAveragePoolInF64AtEachOpset(int opset) {
    long[] shape = {2, 3, 4, 5};
    double[] x = random(new Random(opset), shape);
    GraphBuilder b = new GraphBuilder("gap_f64");
    Value vx = b.input("x", batchFree(shape));
    b.output("y", Ops.globalAveragePool(b, vx));
    Map<String, HostTensor> out;
    byte[] model = OnnxExporter.export(b.build(), dev.kiln.compiler.onnx.ExportOptions.defaults().opset(opset)).toByteArray();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      out = m.run(Map.of("x", HostTensor.ofDoubles(x, shape)));
    }
    double[] mean = new double[6];
    for (int i = 0; i < x.length; i++) mean[i / 20] += x[i] / 20;
    assertEquals(List.of(2L, 3L, 1L, 1L), Arrays.stream(out.get("y").shape()).boxed().toList());
    close("y", mean, out.get("y"));
  }

  private static void close(String what, double[] expected, HostTensor actual) {
    assertEquals(DType.F64, actual.dtype(), what);
    double[] a = actual.toDoubles();
    assertEquals(expected.length, a.length, what + " size");
    double scale = 0;
    for (double v : expected) scale = Math.max(scale, Math.abs(v));
    assertTrue(scale > 0, what + " is all zeros: the check would be empty");
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], 1e-12 * scale, what + "[" + i + "]");
    }
  }

  private static TensorType batchFree(long[] shape) {
    Dim[] d = new Dim[shape.length];
    d[0] = Dim.symbolic("batch");
    for (int i = 1; i < shape.length; i++) d[i] = Dim.of(shape[i]);
    return new TensorType(DType.F64, Shape.of(d));
  }

  private static double[] random(Random rnd, long[] shape) {
    double[] v = new double[Math.toIntExact(HostTensor.count(shape))];
    for (int i = 0; i < v.length; i++) v[i] = rnd.nextDouble() * 2 - 1;
    return v;
  }

  private static long[] longs(int[] v) { return Arrays.stream(v).asLongStream().toArray(); }
}
