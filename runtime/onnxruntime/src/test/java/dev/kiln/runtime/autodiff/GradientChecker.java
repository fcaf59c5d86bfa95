package dev.kiln.runtime.autodiff;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.autodiff.GraphCopy;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks reverse-mode gradients against central finite differences, both computed in ONNX Runtime in
 * f64: the gradient graph that {@link Autodiff} builds is exported and run, and each input's gradient
 * is compared element by element with (L(x + eps) - L(x - eps)) / 2eps from the forward loss graph.
 * Second order: the gradients are folded into a new scalar sum(grad · r2), differentiated again and
 * checked the same way. Large inputs are checked on a fixed sample of their elements.
 */
public final class GradientChecker {
  /** Finite-difference step. */
  public static final double EPS = 1e-6;
  /** Relative tolerance. */
  public static final double RTOL = 1e-5;
  /** Absolute tolerance, scaled by max(1, |L|) since the loss's rounding error grows with it. */
  public static final double ATOL = 1e-7;
  /** Elements checked per input at most. */
  public static final int MAX_ELEMENTS = 24;

  private GradientChecker() {}

  /**
   * Checks d(loss)/d(input) for every input named in {@code feed} (all graph inputs of {@code forward});
   * returns null when they match, else a message naming the input, element, and both values.
   */
  public static String check(Graph forward, Value loss, Map<String, HostTensor> feed) {
    return check(forward, loss, feed, EPS, RTOL, ATOL);
  }

  /**
   * As {@link #check(Graph, Value, Map)} with explicit step and tolerances (for f32 graphs of ops that
   * ONNX Runtime has no f64 kernel for).
   */
  public static String check(Graph forward, Value loss, Map<String, HostTensor> feed, double eps, double rtol, double atolScale) {
    List<Value> wrt = new ArrayList<>(forward.inputs());
    Graph grads = Autodiff.gradients(forward, loss, wrt, false);
    Map<String, HostTensor> analytic;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      analytic = m.run(feed);
    }
    Graph lossOnly = lossGraph(forward, loss);
    // Composites (LSTM, GRU) run as their decomposition: ONNX Runtime's native kernels have no f64.
    // (TfOnnxAgreementTest checks the decompositions against the native kernels in f32.)
    var opts = dev.kiln.compiler.onnx.ExportOptions.defaults().decomposeComposites(true);
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(lossOnly, opts).toByteArray())) {
      double l0 = m.run(feed).get(loss.name()).getDouble(0);
      double atol = atolScale * Math.max(1, Math.abs(l0));
      for (int k = 0; k < wrt.size(); k++) {
        Value x = wrt.get(k);
        // Outputs: the loss, then one gradient per target in order.
        HostTensor g = analytic.get(grads.outputs().get(1 + k).name());
        HostTensor x0 = feed.get(x.name());
        for (int i : sample(x0.size(), x.name().hashCode())) {
          double fd = (lossAt(m, loss, feed, x.name(), i, eps) - lossAt(m, loss, feed, x.name(), i, -eps)) / (2 * eps);
          double an = g.getDouble(i);
          if (!(Math.abs(an - fd) <= atol + rtol * Math.max(Math.abs(fd), Math.abs(an)))) {
            return "d loss / d " + x.name() + "[" + i + "]: autodiff " + an + ", finite differences " + fd
                + " (diff " + Math.abs(an - fd) + ")";
          }
        }
      }
    }
    return null;
  }

  /**
   * The second-order check: builds L2 = sum over inputs of sum(grad(loss, input) · r2) with fixed
   * random r2, and checks dL2/d(input) as {@link #check} does.
   */
  public static String checkSecondOrder(Graph forward, Value loss, Map<String, HostTensor> feed, long seed) {
    Graph grads = Autodiff.gradients(forward, loss, new ArrayList<>(forward.inputs()), false);
    GraphCopy.Copied c = GraphCopy.of(grads, forward.name() + "_second");
    GraphBuilder b = c.builder();
    Random rnd = new Random(seed);
    Value l2 = null;
    for (Value out : grads.outputs().subList(1, grads.outputs().size())) {
      Value term = dot(b, c.get(out), randomLike(out, rnd, -1, 1));
      l2 = l2 == null ? term : Ops.add(b, l2, term);
    }
    Value l = b.output("loss2", l2);
    Graph second = b.build();
    return check(second, l, feed);
  }

  /** sum(v · r) as one MatMul of the flattened tensors: a scalar. */
  public static Value dot(GraphBuilder b, Value v, HostTensor r) {
    Value flat = Ops.reshape(b, v, new long[] {-1});
    Value rc = Ops.constant(b, r.reshape(r.size()));
    return Ops.matMul(b, flat, rc);
  }

  /** A tensor of {@code v}'s (static) type with elements uniform in [lo, hi). */
  public static HostTensor randomLike(Value v, Random rnd, double lo, double hi) {
    long[] shape = v.type().shape().sizes();
    double[] d = new double[Math.toIntExact(HostTensor.count(shape))];
    for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rnd.nextDouble();
    return HostTensor.fromDoubles(v.type().dtype(), d, shape);
  }

  /** A copy of {@code forward} whose only output is {@code loss} (under its own name). */
  static Graph lossGraph(Graph forward, Value loss) {
    GraphCopy.Copied c = GraphCopy.of(forward, forward.name() + "_loss");
    c.builder().output(c.get(loss));
    return c.builder().build();
  }

  private static double lossAt(OnnxRuntimeModel m, Value loss, Map<String, HostTensor> feed, String input, int i, double delta) {
    Map<String, HostTensor> f = new LinkedHashMap<>(feed);
    HostTensor x = feed.get(input);
    double[] d = x.toDoubles();
    d[i] += delta;
    f.put(input, HostTensor.fromDoubles(x.dtype(), d, x.shape()));
    return m.run(f).get(loss.name()).getDouble(0);
  }

  /** All indices when few, else a fixed random sample (first and last always included). */
  private static int[] sample(long size, long seed) {
    int n = Math.toIntExact(size);
    if (n <= MAX_ELEMENTS) return java.util.stream.IntStream.range(0, n).toArray();
    Random rnd = new Random(seed);
    int[] out = new int[MAX_ELEMENTS];
    out[0] = 0;
    out[1] = n - 1;
    for (int k = 2; k < out.length; k++) out[k] = rnd.nextInt(n);
    return out;
  }
}
