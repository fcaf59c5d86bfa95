package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.Cpu;
import dev.kiln.runtime.SelfCheckCache;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.HostConv;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Known answers for ONNX Runtime's CPU convolution kernels, checked once per process before Kiln opens
 * its first CPU session: the forms Kiln exports (Conv forward, ConvTranspose for input gradients, and
 * ConvFilterGrad's Conv over batch-as-channels for filter gradients; strided, padded, dilated, grouped,
 * depthwise, 1-D and 3-D) against {@link HostConv}. ONNX Runtime picks its kernels by CPU, and its graph
 * optimisations swap in other ones (NCHWc layouts, fused convs). Where an answer is wrong with them and
 * right without, Kiln's ONNX Runtime sessions turn graph optimisations off for the rest of the process;
 * either way one warning names the CPU and the case. A clean verdict is remembered per CPU and ONNX
 * Runtime version ({@link SelfCheckCache}). {@code -Dkiln.ort.selfCheck=false} skips it.
 */
public final class OrtSelfCheck {
  private OrtSelfCheck() {}

  private static final System.Logger LOG = System.getLogger(OrtSelfCheck.class.getName());
  static final double RTOL = 1e-4;
  private static volatile Report done;
  private static volatile boolean unoptimised;

  /** Which product of a convolution a case computes, and through which exported op. */
  enum Kind { CONV, CONV_TRANSPOSE, FILTER_GRAD }

  record Case(Kind kind, HostConv g) {
    String label() {
      return kind + " mb" + g.n() + "ic" + g.c() + "oc" + g.o() + "g" + g.group() + "_in" + java.util.Arrays.toString(g.in())
          + "_k" + java.util.Arrays.toString(g.kernel()) + "_s" + java.util.Arrays.toString(g.strides())
          + "_d" + java.util.Arrays.toString(g.dilations()) + "_p" + java.util.Arrays.toString(g.pads());
    }
  }

  /** A hook between ONNX Runtime's answer and the comparison (tests inject faults through it). */
  @FunctionalInterface
  interface ResultFilter {
    ResultFilter NONE = (c, optimised, actual) -> actual;

    double[] apply(Case c, boolean optimised, double[] actual);
  }

  /** Failed cases with optimisations on, those still wrong with them off, and the cost. */
  public record Report(List<String> failed, List<String> failedUnoptimised, double millis) {
    public boolean clean() { return failed.isEmpty(); }
  }

  /** Runs the check unless it ran already (or is switched off); returns its report or null. */
  public static Report ensureChecked() {
    Report r = done;
    if (r != null || "false".equalsIgnoreCase(System.getProperty("kiln.ort.selfCheck"))) return r;
    synchronized (OrtSelfCheck.class) {
      if (done == null) {
        done = SelfCheckCache.run(setting(), new Report(List.of(), List.of(), 0), () -> check(ResultFilter.NONE), Report::clean);
      }
      return done;
    }
  }

  /** What the verdict depends on: the check, ONNX Runtime's version and the CPU. */
  private static String setting() {
    return "kiln ONNX Runtime convolution self-check " + CHECK_VERSION + "\nONNX Runtime "
        + OrtEnvironment.getEnvironment().getVersion() + "\n" + SelfCheckCache.cpuFingerprint();
  }

  /** Bump when the cases change, so cached verdicts of the old ones no longer count. */
  private static final int CHECK_VERSION = 1;

  /** Runs the check now, whatever ran or was cached before (for {@code kiln doctor}). */
  public static Report runNow() {
    Report r = check(ResultFilter.NONE);
    done = r;
    return r;
  }

  /** The number of cases the check runs. */
  public static int size() { return cases().size(); }

  /** Whether Kiln's CPU sessions run without graph optimisations (a kernel they swap in was wrong). */
  public static boolean unoptimised() { return unoptimised; }

  /** Forgets the check's verdict (tests only). */
  static void reset() {
    done = null;
    unoptimised = false;
  }

  static Report check(ResultFilter filter) {
    OrtEnvironment.getEnvironment();  // ONNX Runtime's start-up, which Kiln needs anyway: not the check's cost
    long t0 = System.nanoTime();
    List<Case> cases = cases();
    List<String> failed = run(cases, true, filter);
    List<String> still = List.of();
    if (!failed.isEmpty()) {
      still = run(cases, false, filter);
      if (still.isEmpty()) unoptimised = true;
      LOG.log(System.Logger.Level.WARNING, "Kiln: ONNX Runtime's convolution kernels gave wrong answers on this CPU, "
          + Cpu.describe() + ":\n  " + String.join("\n  ", failed) + (still.isEmpty()
          ? "\nWith its graph optimisations off they are right: Kiln's ONNX Runtime sessions run unoptimised from now on."
          : "\nThey are wrong with graph optimisations off too:\n  " + String.join("\n  ", still)
            + "\nCompare with the TensorFlow back end before trusting ONNX Runtime's convolutions here."));
    }
    return new Report(failed, still, (System.nanoTime() - t0) / 1e6);
  }

  /** One case's operands (x or dy first, then w or dy, per its kind) and its answer, in ONNX's NCHW layout. */
  private record Operands(double[] a, long[] aShape, double[] b, long[] bShape, double[] expected) {}

  private static List<Operands> operands(List<Case> cases) {
    Random rnd = new Random(20261206L);
    List<Operands> out = new ArrayList<>();
    for (Case c : cases) {
      HostConv g = c.g();
      double[] x = HostConv.halves(rnd, HostConv.count(g.xShape()));
      double[] w = HostConv.halves(rnd, HostConv.count(g.wShape()));
      double[] dy = HostConv.halves(rnd, HostConv.count(g.yShape()));
      out.add(switch (c.kind()) {
        case CONV -> new Operands(x, g.xShape(), w, g.wShape(), g.forward(x, w));
        case CONV_TRANSPOSE -> new Operands(dy, g.yShape(), w, g.wShape(), g.inputGrad(dy, w));
        case FILTER_GRAD -> new Operands(x, g.xShape(), dy, g.yShape(), g.filterGrad(x, dy));
      });
    }
    return out;
  }

  /**
   * The check's model as Kiln exports it: inputs {@code a<i>, b<i>}, outputs {@code y<i>}, one node per
   * case. It ships prebuilt ({@link #MODEL}; a test keeps it equal to this), so the check costs a
   * process that only runs ONNX models no op registry and no exporter.
   */
  static byte[] model() {
    GraphBuilder b = new GraphBuilder("kiln_ort_selfcheck");
    List<Case> cases = cases();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      HostConv g = c.g();
      Value y = switch (c.kind()) {
        case CONV -> Ops.conv(b, in(b, "a" + i, g.xShape()), in(b, "b" + i, g.wShape()), null, attrs(g, false));
        case CONV_TRANSPOSE -> Ops.convTranspose(b, in(b, "a" + i, g.yShape()), in(b, "b" + i, g.wShape()), null, attrs(g, false).with("outputPadding", outputPadding(g)));
        case FILTER_GRAD -> Ops.convFilterGrad(b, in(b, "a" + i, g.xShape()), in(b, "b" + i, g.yShape()), attrs(g, true));
      };
      b.output("y" + i, y);
    }
    return OnnxExporter.export(b.build()).toByteArray();
  }

  /** Where the prebuilt {@link #model()} lives on the classpath. */
  static final String MODEL = "conv-selfcheck.onnx";

  private static byte[] shippedModel() {
    try (var in = OrtSelfCheck.class.getResourceAsStream(MODEL)) {
      if (in == null) throw new KilnException("Kiln's jar lacks " + MODEL + " (a build problem)");
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new KilnException("cannot read " + MODEL + ": " + e.getMessage(), e);
    }
  }

  /** Runs every case in the shipped model; returns the failures' descriptions. */
  private static List<String> run(List<Case> cases, boolean optimised, ResultFilter filter) {
    List<Operands> ops = operands(cases);
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      feed.put("a" + i, HostTensor.fromDoubles(DType.F32, ops.get(i).a(), ops.get(i).aShape()));
      feed.put("b" + i, HostTensor.fromDoubles(DType.F32, ops.get(i).b(), ops.get(i).bShape()));
    }
    List<String> failed = new ArrayList<>();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      if (!optimised) so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OnnxRuntimeModel m = OnnxRuntimeModel.open(OrtEnvironment.getEnvironment().createSession(shippedModel(), so))) {
        Map<String, HostTensor> out = m.run(feed);
        for (int i = 0; i < cases.size(); i++) {
          String why = compare(filter.apply(cases.get(i), optimised, out.get("y" + i).toDoubles()), ops.get(i).expected());
          if (why != null) failed.add(cases.get(i).label() + ": " + why);
        }
      }
    } catch (OrtException e) {
      throw new KilnException("ONNX Runtime could not run Kiln's convolution self-check: " + e.getMessage(), e);
    }
    return failed;
  }

  private static Value in(GraphBuilder b, String name, long[] shape) { return b.input(name, TensorType.of(DType.F32, shape)); }

  private static Attrs attrs(HostConv g, boolean kernel) {
    Attrs a = Attrs.of("group", (long) g.group(), "strides", longs(g.strides()), "pads", longs(g.pads()),
        "dilations", longs(g.dilations()));
    return kernel ? a.with("kernel", longs(g.kernel())) : a;
  }

  /** The cells a transposed conv must add at the end to give back the forward conv's input size. */
  private static long[] outputPadding(HostConv g) {
    int r = g.in().length;
    long[] op = new long[r];
    for (int i = 0; i < r; i++) {
      op[i] = (g.in()[i] + g.pads()[i] + g.pads()[i + r] - ((g.kernel()[i] - 1) * g.dilations()[i] + 1)) % g.strides()[i];
    }
    return op;
  }

  private static long[] longs(int[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) l[i] = v[i];
    return l;
  }

  private static String compare(double[] actual, double[] expected) {
    if (actual.length != expected.length) return actual.length + " values, expected " + expected.length;
    double scale = 1;
    for (double e : expected) scale = Math.max(scale, Math.abs(e));
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(actual[i] - expected[i]) <= RTOL * scale)) return "element " + i + " is " + actual[i] + ", expected " + expected[i];
    }
    return null;
  }

  /** The forms Kiln exports, one small case each (NCHW, as ONNX has it). */
  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    for (Kind k : Kind.values()) {
      c.add(new Case(k, conv(2, 3, 8, 1, new int[] {6, 6}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1})));
      c.add(new Case(k, conv(1, 4, 6, 1, new int[] {7, 7}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1, 1, 1})));
      c.add(new Case(k, conv(1, 4, 8, 1, new int[] {6, 6}, new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0, 0, 0})));
      c.add(new Case(k, conv(1, 3, 4, 1, new int[] {7, 7}, new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 2}, new int[] {0, 1, 1, 0})));
      c.add(new Case(k, conv(1, 4, 8, 2, new int[] {5, 6}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1})));
      c.add(new Case(k, conv(1, 4, 4, 4, new int[] {7, 7}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1, 1, 1})));
      c.add(new Case(k, conv(2, 1, 2, 1, new int[] {9}, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1, 0})));
      c.add(new Case(k, conv(1, 2, 3, 1, new int[] {3, 4, 4}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, new int[6])));
      c.add(new Case(k, conv(1, 16, 16, 1, new int[] {4, 4}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1})));
    }
    return c;
  }

  private static HostConv conv(int n, int c, int o, int group, int[] in, int[] k, int[] s, int[] d, int[] pads) {
    return new HostConv(n, c, o, group, in, k, s, d, pads);
  }

}
