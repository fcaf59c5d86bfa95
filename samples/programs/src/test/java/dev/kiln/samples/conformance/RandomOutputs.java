package dev.kiln.samples.conformance;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance suite's rule for cases whose outputs are random draws (the suite's expected values came from
 * NumPy's generator, which no back end reproduces): such a case passes when its outputs follow the law the op
 * defines, not when they equal the file. The rule, by case:
 * <ul>
 *   <li>{@code test_bernoulli*} (Bernoulli, and its expansion over RandomUniformLike): y has the expected dtype
 *   and shape; every element is 0 or 1, and exactly 0 / 1 where p is 0 / 1; the number of ones is within
 *   {@value #SIGMAS} standard deviations of sum(p) (sd = sqrt(sum p(1 - p))).
 *   <li>{@code test_training_dropout*} (Dropout with a training_mode input): with training_mode false y = x and
 *   the mask all true; else each y is 0 (dropped) or x / (1 - ratio) (kept), the mask is true exactly where kept,
 *   and the number dropped is within {@value #SIGMAS} standard deviations of n * ratio.
 *   <li>Seeds honoured: when the random node has a {@code seed}, the model is loaded and run a second time
 *   (a new session) and must give the same values bit for bit.
 * </ul>
 * Large-draw moments of the underlying generator (RandomUniformLike's mean, variance and bounds on 10^5 draws,
 * seeded and unseeded) are checked per op on both back ends by runtime/tensorflow's {@code RandomOpsDistributionTest};
 * the suite's draws (10 to 60 elements) only allow the coarse count test above.
 */
final class RandomOutputs {
  /** How far a count may stray from its mean, in standard deviations (a false failure about once in 10^5 runs). */
  static final double SIGMAS = 4.5;
  private static final Set<String> RANDOM_OPS = Set.of("Bernoulli", "RandomUniformLike", "RandomNormalLike", "RandomUniform",
      "RandomNormal", "Multinomial", "Dropout");

  private RandomOutputs() {}

  /** Whether the case is one the rule checks (see the class comment). */
  static boolean applies(ConformanceCase c) {
    return c.folder().equals("node") && (c.name().startsWith("test_bernoulli") || c.name().startsWith("test_training_dropout"));
  }

  /** Whether a random node of the model carries a seed (then a second run must repeat the first). */
  static boolean seeded(ModelProto m) {
    for (NodeProto n : m.getGraph().getNodeList()) {
      if (!RANDOM_OPS.contains(n.getOpType())) continue;
      for (AttributeProto a : n.getAttributeList()) if (a.getName().equals("seed")) return true;
    }
    return false;
  }

  /** Null when the outputs follow the law of the case, else what does not. Inputs and outputs are in graph order. */
  static String problem(ConformanceCase c, List<HostTensor> inputs, List<HostTensor> expected, List<HostTensor> got) {
    for (int i = 0; i < expected.size(); i++) {
      HostTensor w = expected.get(i);
      HostTensor g = got.get(i);
      if (g == null) return "output " + i + ": missing";
      if (w.dtype() != g.dtype()) return "output " + i + ": dtype " + g.dtype() + ", expected " + w.dtype();
      if (!Arrays.equals(w.shape(), g.shape())) return "output " + i + ": shape " + Arrays.toString(g.shape()) + ", expected " + Arrays.toString(w.shape());
    }
    return c.name().startsWith("test_bernoulli") ? bernoulli(inputs.get(0), got.get(0)) : dropout(inputs, got);
  }

  private static String bernoulli(HostTensor p, HostTensor y) {
    double mean = 0;
    double var = 0;
    long ones = 0;
    for (int i = 0; i < y.size(); i++) {
      double v = y.getDouble(i);
      double pi = p.getDouble(i);
      if (v != 0 && v != 1) return "element " + i + " is " + v + ", a Bernoulli draw is 0 or 1";
      if ((pi == 0 && v != 0) || (pi == 1 && v != 1)) return "element " + i + " is " + v + " with p = " + pi;
      ones += (long) v;
      mean += pi;
      var += pi * (1 - pi);
    }
    return count("ones", ones, mean, var);
  }

  private static String dropout(List<HostTensor> inputs, List<HostTensor> got) {
    HostTensor x = inputs.get(0);
    double ratio = inputs.size() > 1 ? inputs.get(1).getDouble(0) : 0.5;
    boolean training = inputs.size() > 2 && inputs.get(2).getDouble(0) != 0;
    HostTensor y = got.get(0);
    HostTensor mask = got.size() > 1 ? got.get(1) : null;
    long dropped = 0;
    for (int i = 0; i < y.size(); i++) {
      double xi = x.getDouble(i);
      double kept = training ? xi / (1 - ratio) : xi;
      double v = y.getDouble(i);
      boolean isKept = Math.abs(v - kept) <= 1e-6 * Math.max(1, Math.abs(kept));
      boolean isDropped = v == 0 && training;
      if (!isKept && !isDropped) return "element " + i + " is " + v + ", neither 0 nor x / (1 - ratio) = " + kept;
      boolean m = mask == null || mask.getDouble(i) != 0;
      // An element that is 0 either way (x = 0) says nothing about the mask.
      if (mask != null && kept != 0 && m != isKept) return "mask element " + i + " is " + m + " but y is " + v;
      if (mask != null ? !m : (isDropped && kept != 0)) dropped++;
    }
    if (!training) return dropped == 0 ? null : dropped + " elements dropped with training_mode false";
    return count("dropped", dropped, y.size() * ratio, y.size() * ratio * (1 - ratio));
  }

  private static String count(String what, long n, double mean, double var) {
    double sd = Math.sqrt(var);
    if (Math.abs(n - mean) <= SIGMAS * sd + 1e-9) return null;
    return n + " " + what + ", expected " + String.format(java.util.Locale.ROOT, "%.2f", mean) + " +- " + SIGMAS + " sd ("
        + String.format(java.util.Locale.ROOT, "%.2f", sd) + ")";
  }

  /** The outputs of a run, in graph order. */
  static List<HostTensor> inOrder(Map<String, HostTensor> got, List<String> names) {
    return names.stream().map(got::get).toList();
  }
}
