package dev.kiln.runtime.tf;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;

/**
 * Runs {@link ConvKernelCase}s on TensorFlow in f32, through the same op builder as Kiln's lowerings (so
 * {@link TfKernelGuard}'s rerouting applies), and compares each with its reference answer.
 */
final class ConvKernelRunner {
  private ConvKernelRunner() {}

  /** How far a kernel may stray from the f64 reference, relative to the answer's largest magnitude. */
  static final double RTOL = 1e-4;

  /**
   * Sessions without Grappler: the check's graph has nothing to optimise, and Grappler's passes cost more
   * than its kernels. (oneDNN's rewrite is not a Grappler pass; it still runs.)
   */
  private static final ConfigProto QUICK = ConfigProto.newBuilder()
      .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))).build();

  /** A hook between the kernel's answer and the comparison (tests inject faults through it). */
  @FunctionalInterface
  interface ResultFilter {
    ResultFilter NONE = (c, actual) -> actual;

    double[] apply(ConvKernelCase c, double[] actual);
  }

  /**
   * One case's outcome: {@code error} when TF refused or failed it, else the largest absolute difference
   * from the reference, where it is, and both values there.
   */
  record Outcome(ConvKernelCase kase, String error, double maxAbsDiff, int worst, double expected, double actual, double scale) {
    boolean passed() { return error == null && maxAbsDiff <= RTOL * Math.max(1, scale); }

    String describe() {
      if (error != null) return kase.label() + ": " + error;
      return kase.label() + ": element " + worst + " is " + actual + ", expected " + expected + " (max |diff| "
          + String.format("%.3g", maxAbsDiff) + ")";
    }
  }

  /** All cases in one graph and one session run (they must all be valid TF calls). */
  static List<Outcome> runTogether(List<ConvKernelCase> cases, long seed, ResultFilter filter) {
    return runTogether(cases, seed, filter, null);
  }

  /** As {@link #runTogether(List, long, ResultFilter)}; adds the op types TF ran to {@code ranOps} if given. */
  static List<Outcome> runTogether(List<ConvKernelCase> cases, long seed, ResultFilter filter, Set<String> ranOps) {
    return runTogether(cases, seed, filter, ranOps, 1);
  }

  /**
   * As above, with the session run {@code runs} times (as a training loop runs its step: oneDNN's
   * primitives cached and warm); each case's outcome is its worst run.
   */
  static List<Outcome> runTogether(List<ConvKernelCase> cases, long seed, ResultFilter filter, Set<String> ranOps, int runs) {
    try (Graph g = new Graph()) {
      TfOpBuilder ops = new TfOpBuilder(g, "kat/");
      List<ConvKernelCase.Operands> operands = new ArrayList<>();
      List<Output<?>> outs = new ArrayList<>();
      Map<Output<?>, HostTensor> feeds = new LinkedHashMap<>();
      for (ConvKernelCase c : cases) {
        ConvKernelCase.Operands o = c.operands(seed);
        operands.add(o);
        outs.add(build(ops, c, o, feeds));
      }
      TfNativeLogs.absorbFirstRunLines();  // the self-check may run the process's first session
      try (Session s = new Session(g, TfSessions.settings(QUICK.toBuilder())); Feeds f = new Feeds(feeds)) {
        List<Outcome> results = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
          Session.Runner r = s.runner();
          f.feed(r);
          outs.forEach(r::fetch);
          boolean meta = ranOps != null && run == 0;
          if (meta) r.setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build());
          try (Result res = meta ? r.runAndFetchMetadata() : r.run()) {
            for (int i = 0; i < cases.size(); i++) {
              Outcome o = compare(cases.get(i), operands.get(i), read(res.get(i)), filter);
              if (run == 0) results.add(o);
              else if (!o.passed()) results.set(i, o);
            }
            if (meta) {
              for (GraphDef pg : res.getMetadata().orElseThrow().getPartitionGraphsList()) {
                for (NodeDef n : pg.getNodeList()) ranOps.add(n.getOp());
              }
            }
          }
        }
        return results;
      }
    }
  }

  /** One case in a graph of its own, so a refused or failing kernel is reported, not thrown. */
  static Outcome runAlone(ConvKernelCase c, long seed, ResultFilter filter) {
    ConvKernelCase.Operands o = c.operands(seed);
    Map<Output<?>, HostTensor> feeds = new LinkedHashMap<>();
    try (Graph g = new Graph()) {
      Output<?> y = build(new TfOpBuilder(g, "case/"), c, o, feeds);
      TfNativeLogs.absorbFirstRunLines();
      try (Session s = TfSessions.withSettings(g); Feeds f = new Feeds(feeds)) {
        Session.Runner r = s.runner();
        f.feed(r);
        try (Result res = r.fetch(y).run()) {
          return compare(c, o, read(res.get(0)), filter);
        }
      }
    } catch (RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      return new Outcome(c, (nl < 0 ? m : m.substring(0, nl)).trim(), Double.NaN, -1, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  /** The fed tensors of one run, closed with it. */
  private static final class Feeds implements AutoCloseable {
    private final Map<Output<?>, Tensor> tensors = new LinkedHashMap<>();

    Feeds(Map<Output<?>, HostTensor> values) { values.forEach((k, v) -> tensors.put(k, TfTensors.toTf(v))); }

    void feed(Session.Runner r) { tensors.forEach(r::feed); }

    @Override public void close() { tensors.values().forEach(Tensor::close); }
  }

  /**
   * The case's op. NOTE: its data operands are fed placeholders, not constants: TF's graph optimiser
   * would fold an op of constants on its own (non-oneDNN) kernel, and the check would miss the kernel
   * that real graphs run.
   */
  private static Output<?> build(TfOpBuilder ops, ConvKernelCase c, ConvKernelCase.Operands o, Map<Output<?>, HostTensor> feeds) {
    Output<?> first = fed(ops, HostTensor.fromDoubles(DType.F32, o.first(), o.firstShape()), feeds);
    Output<?> second = fed(ops, HostTensor.fromDoubles(DType.F32, o.second(), o.secondShape()), feeds);
    Output<?> sizes = o.sizes() == null ? null : constant(ops, HostTensor.ofInts(o.sizes(), o.sizes().length));
    List<Output<?>> in = switch (c.kind()) {
      case FORWARD -> List.of(first, second);
      case INPUT_GRAD -> List.of(sizes, first, second);
      case FILTER_GRAD -> List.of(first, sizes, second);
    };
    return ops.op(c.tfOp(), c.tfOp(), in, c.attrs(), List.of(DType.F32)).get(0);
  }

  private static Output<?> fed(TfOpBuilder ops, HostTensor v, Map<Output<?>, HostTensor> feeds) {
    Output<?> p = ops.op("Placeholder", "in", List.of(), Map.of("dtype", v.dtype(), "shape", v.shape()), null).get(0);
    feeds.put(p, v);
    return p;
  }

  private static Output<?> constant(TfOpBuilder ops, HostTensor v) {
    return ops.op("Const", "const", List.of(), Map.of("value", v, "dtype", v.dtype()), null).get(0);
  }

  private static double[] read(Tensor t) { return TfTensors.fromTf(t).toDoubles(); }

  private static Outcome compare(ConvKernelCase c, ConvKernelCase.Operands o, double[] actual, ResultFilter filter) {
    double[] a = filter.apply(c, actual);
    double[] e = o.expected();
    if (a.length != e.length) return new Outcome(c, "returned " + a.length + " values, expected " + e.length, Double.NaN, -1, Double.NaN, Double.NaN, Double.NaN);
    double worst = 0;
    double scale = 0;
    int at = 0;
    for (int i = 0; i < e.length; i++) {
      double d = Math.abs(a[i] - e[i]);
      if (!(d <= worst)) {  // NaN counts as the worst
        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
        at = i;
      }
      scale = Math.max(scale, Math.abs(e[i]));
    }
    return new Outcome(c, null, worst, at, e.length == 0 ? 0 : e[at], a.length == 0 ? 0 : a[at], scale);
  }
}
