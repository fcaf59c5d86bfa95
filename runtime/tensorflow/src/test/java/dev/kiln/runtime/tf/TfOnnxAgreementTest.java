package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.harness.CaseGraph;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * TensorFlow vs ONNX Runtime on random inputs, for every valid type-rule case of every op (symbolic dims
 * become 3; cases with unknown dims are left out): the same IR graph is lowered to TF and exported to
 * ONNX, fed the same seeded random-normal tensors, and must agree to a max abs difference of 1e-5
 * (floating types; integers and bools exactly).
 * NOTE: for tensors whose largest element exceeds 1 in magnitude the bound scales with it
 * (1e-5 * max|y|): a long f32 reduction (a 784-term dot product of normals reaches |y| ~ 80) differs
 * between the two runtimes' kernels by summation order alone, by ~2e-5 absolute even in elements near 0,
 * because rounding error follows the size of the summed terms, not of the result.
 */
class TfOnnxAgreementTest {
  static final long SYMBOL_SIZE = 3;
  static final double MAX_ABS_DIFF = 1e-5;

  @BeforeAll
  static void before() { TfCrashMarker.reportLeftover(); }

  @AfterAll
  static void after() { TfCrashMarker.finished(); }

  @TestFactory
  Stream<DynamicTest> tfAgreesWithOnnxRuntime() {
    return CaseGraph.allCases().filter(OpCases::randomInputsValid).flatMap(c -> c.typeCases().stream().filter(tc -> tc.expected() != null)
        .filter(tc -> tc.inputs().stream().allMatch(t -> t.shape().dims().stream().noneMatch(Dim::isUnknown)))
        .map(tc -> DynamicTest.dynamicTest(c.op() + ": " + tc.label(), () -> agree(c, tc))));
  }

  private static void agree(OpCases c, OpCases.TypeCase tc) {
    long seed = (c.op() + "/" + tc.label()).hashCode();
    Random rnd = new Random(seed);
    List<HostTensor> inputs = new ArrayList<>();
    for (TensorType t : tc.inputs()) inputs.add(randomNormal(t, rnd));
    CaseGraph cg = CaseGraph.of(c.op() + "_" + tc.label(), inputs, (g, in) -> g.apply(OpRegistry.get(c.op()), in, tc.attrs()));
    String where = c.op() + " case '" + tc.label() + "' (" + TfOpCasesTest.tfName(c.op()) + ", seed " + seed + ")";
    Map<String, HostTensor> ort;
    byte[] model = OnnxExporter.export(cg.graph(), ExportOptions.defaults()).toByteArray();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      ort = m.run(cg.feed());
    }
    try (TfModel m = TfOpCasesTest.loadOrSkip(c, tc.label(), cg)) {
      Map<String, HostTensor> tf;
      try {
        tf = m.run(cg.feed());
      } catch (RuntimeException e) {
        throw new AssertionError(where + " failed to run on TF: " + e.getMessage(), e);
      }
      for (int i = 0; i < cg.graph().outputs().size(); i++) {
        String name = "out" + i;
        String problem = compare(ort.get(name), tf.get(name));
        if (problem != null) fail(where + " output " + i + " TF vs ONNX Runtime: " + problem);
      }
    }
  }

  /** Null when TF's tensor matches ORT's (same dtype and shape, max abs diff within bounds). */
  static String compare(HostTensor ort, HostTensor tf) {
    if (ort.dtype() != tf.dtype()) return "dtype " + tf.dtype() + " on TF, " + ort.dtype() + " on ORT";
    if (!Arrays.equals(ort.shape(), tf.shape())) {
      return "shape " + Arrays.toString(tf.shape()) + " on TF, " + Arrays.toString(ort.shape()) + " on ORT";
    }
    double scale = 1;
    for (int i = 0; i < ort.size(); i++) if (Double.isFinite(ort.getDouble(i))) scale = Math.max(scale, Math.abs(ort.getDouble(i)));
    double bound = ort.dtype().isFloating() ? MAX_ABS_DIFF * scale : 0;
    double worst = 0;
    int at = -1;
    for (int i = 0; i < ort.size(); i++) {
      double a = ort.getDouble(i);
      double b = tf.getDouble(i);
      if (Double.isNaN(a) && Double.isNaN(b) || a == b) continue;
      double d = Double.isNaN(a) || Double.isNaN(b) ? Double.POSITIVE_INFINITY : Math.abs(a - b);
      if (!ort.dtype().isFloating()) d = ort.getLong(i) == tf.getLong(i) ? 0 : Math.max(d, 1);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (worst <= bound) return null;
    return "max abs diff " + worst + " > " + bound + " (1e-5 * max(1, max|ORT|))" + " at element " + at + ": TF " + tf.getDouble(at) + ", ORT " + ort.getDouble(at);
  }

  /** A seeded random tensor: normal floats, rounded normals (x3) for integers, sign of a normal for bools. */
  static HostTensor randomNormal(TensorType t, Random rnd) {
    long[] shape = new long[t.rank()];
    for (int i = 0; i < shape.length; i++) {
      Dim d = t.shape().dim(i);
      shape[i] = d.isStatic() ? d.size() : SYMBOL_SIZE;
    }
    double[] v = new double[Math.toIntExact(HostTensor.count(shape))];
    DType dt = t.dtype();
    for (int i = 0; i < v.length; i++) {
      double g = rnd.nextGaussian();
      v[i] = dt.isFloating() ? g : dt == DType.BOOL ? (g > 0 ? 1 : 0) : dt == DType.U8 ? Math.abs(Math.round(g * 3)) : Math.round(g * 3);
    }
    return HostTensor.fromDoubles(dt, v, shape);
  }
}
