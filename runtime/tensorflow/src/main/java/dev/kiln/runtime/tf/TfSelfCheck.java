package dev.kiln.runtime.tf;

import dev.kiln.runtime.Cpu;
import dev.kiln.runtime.SelfCheckCache;
import static dev.kiln.runtime.tf.ConvKernelCase.Kind.FILTER_GRAD;
import static dev.kiln.runtime.tf.ConvKernelCase.Kind.FORWARD;
import static dev.kiln.runtime.tf.ConvKernelCase.Kind.INPUT_GRAD;

import dev.kiln.runtime.tf.ConvKernelCase.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Known answers for TensorFlow's convolution kernels, checked once per process before Kiln's first TF
 * session. Each case is a kernel call Kiln's lowerings make (op type, layout, padding form), small
 * enough to compute on the host ({@link dev.kiln.spec.op.HostConv}); all run in one graph and one session
 * run. A kernel whose answer is wrong is rerouted through f64 ({@link TfKernelGuard}) for the rest of the
 * process, the reroute is checked on the same case, and one warning names the CPU, the settings and the
 * case. A clean verdict is remembered per CPU, TF version and oneDNN setting ({@link SelfCheckCache}).
 * {@code -Dkiln.tf.selfCheck=false} skips it.
 *
 * <p>Why: oneDNN picks kernels by CPU, and some of its AVX-512 convolution gradients are wrong on some
 * shapes (docs/cpu-correctness.md), so a suite that passes on one machine proves nothing on the next.
 */
public final class TfSelfCheck {
  private TfSelfCheck() {}

  private static final System.Logger LOG = System.getLogger(TfSelfCheck.class.getName());
  private static final long SEED = 20261206L;
  private static volatile Report done;

  /** What a check found: every outcome, the cases that failed, whether their reroute fixed them, and its cost. */
  public record Report(List<String> passed, List<String> failed, List<String> stillWrong, double millis) {
    public boolean clean() { return failed.isEmpty(); }
  }

  /** Runs the check unless it ran already in this process (or is switched off); returns its report or null. */
  public static Report ensureChecked() {
    Report r = done;
    if (r != null || "false".equalsIgnoreCase(System.getProperty("kiln.tf.selfCheck"))) return r;
    synchronized (TfSelfCheck.class) {
      if (done == null) {
        done = SelfCheckCache.run(setting(), new Report(List.of(), List.of(), List.of(), 0),
            () -> check(ConvKernelRunner.ResultFilter.NONE), Report::clean);
      }
      return done;
    }
  }

  /** What the verdict depends on: the check, TF's version, oneDNN's settings and the CPU. */
  private static String setting() {
    return "kiln TensorFlow convolution self-check " + CHECK_VERSION + "\nTensorFlow " + org.tensorflow.TensorFlow.version()
        + "\n" + OneDnn.status() + "\n" + SelfCheckCache.cpuFingerprint();
  }

  /** Bump when the cases change, so cached verdicts of the old ones no longer count. */
  private static final int CHECK_VERSION = 3;

  /** Runs the check now, whatever ran or was cached before (for {@code kiln doctor}). */
  public static Report runNow() {
    Report r = check(ConvKernelRunner.ResultFilter.NONE);
    done = r;
    return r;
  }

  /** The number of cases the check runs. */
  public static int size() { return cases().size(); }

  /** The report of this process's check, or null if none ran. */
  public static Report lastReport() { return done; }

  /** Runs every case, reroutes the kernels that failed and warns (tests pass a filter that corrupts answers). */
  static Report check(ConvKernelRunner.ResultFilter filter) {
    org.tensorflow.TensorFlow.version();  // loads TF's natives, which Kiln needs anyway: not the check's cost
    long t0 = System.nanoTime();
    List<ConvKernelRunner.Outcome> outcomes = ConvKernelRunner.runTogether(cases(), SEED, filter);
    double ms = (System.nanoTime() - t0) / 1e6;
    List<String> passed = new ArrayList<>();
    List<ConvKernelRunner.Outcome> bad = new ArrayList<>();
    for (ConvKernelRunner.Outcome o : outcomes) {
      if (o.passed()) passed.add(o.kase().label());
      else bad.add(o);
    }
    if (bad.isEmpty()) return new Report(passed, List.of(), List.of(), ms);
    Set<String> ops = new LinkedHashSet<>();
    for (ConvKernelRunner.Outcome o : bad) {
      TfKernelGuard.distrust(o.kase().tfOp(), o.describe());
      ops.add(o.kase().tfOp());
    }
    // The reroute runs Eigen's f64 kernels; the same filter applies, so an injected fault stays visible
    // only if it is keyed to the f32 kernel (tests key it to the guard's state).
    List<String> stillWrong = new ArrayList<>();
    for (ConvKernelRunner.Outcome o : ConvKernelRunner.runTogether(bad.stream().map(ConvKernelRunner.Outcome::kase).toList(), SEED, filter)) {
      if (!o.passed()) stillWrong.add(o.describe());
    }
    List<String> failed = bad.stream().map(ConvKernelRunner.Outcome::describe).toList();
    LOG.log(System.Logger.Level.WARNING, "Kiln: TensorFlow's " + String.join(", ", ops) + " kernel"
        + (ops.size() > 1 ? "s" : "") + " gave wrong answers on this CPU, " + Cpu.describe() + ", with " + OneDnn.status()
        + ":\n  " + String.join("\n  ", failed) + "\nKiln now runs " + (ops.size() > 1 ? "them" : "it")
        + " in f64 on TensorFlow's reference kernels (right, but slower). For full speed, start the process with "
        + "ONEDNN_MAX_CPU_ISA=AVX2 (or TF_ENABLE_ONEDNN_OPTS=0)."
        + (stillWrong.isEmpty() ? "" : "\nThe f64 kernels are wrong too:\n  " + String.join("\n  ", stillWrong)));
    return new Report(passed, failed, stillWrong, ms);
  }

  /** The kernel calls Kiln's TF lowerings make for f32 convolutions, one small case each. */
  static List<ConvKernelCase> cases() {
    List<ConvKernelCase> c = new ArrayList<>();
    // Forward: Conv2D NHWC in each padding form (TfConv.window), 1-D as a height of 1, 1x1 strided
    // shortcuts, depthwise (padded first, VALID), Conv3D (padded first, VALID).
    c.add(conv(FORWARD, "SAME", 2, 3, 8, 1, new int[] {6, 6}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, null));
    c.add(conv(FORWARD, "EXPLICIT", 1, 4, 5, 1, new int[] {7, 7}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1, 1, 1}));
    c.add(conv(FORWARD, "VALID", 1, 3, 4, 1, new int[] {7, 7}, new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 2}, null));
    // 1x1: strided ones run unit-stride on a subsampled input (TfConv.strided1x1), so only stride 1.
    c.add(conv(FORWARD, "VALID", 1, 4, 8, 1, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, null));
    c.add(conv(FORWARD, "VALID", 1, 1, 2, 1, new int[] {1, 9}, new int[] {1, 3}, new int[] {1, 2}, new int[] {1, 1}, null));
    c.add(ConvKernelCase.of(FORWARD, true, true, "VALID", 1, 4, 4, 4, new int[] {7, 7}, new int[] {3, 3}, new int[] {2, 2},
        new int[] {1, 1}, null));
    c.add(conv(FORWARD, "VALID", 1, 2, 3, 1, new int[] {3, 4, 4}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, null));
    // Input gradients (ConvTranspose and Conv VJPs): VALID or SAME only; other pads crop (TfConvGrad). One channel
    // in and one out per group runs as a depthwise input gradient (TfConvGrad.equalStrides): the first is the 1-d
    // stride-2 cropped ConvTranspose that oneDNN's AVX-512 kernel got wrong as a Conv2DBackpropInput.
    c.add(ConvKernelCase.of(INPUT_GRAD, true, true, "VALID", 1, 1, 1, 1, new int[] {1, 5}, new int[] {1, 3}, new int[] {2, 2},
        new int[] {1, 1}, null));
    c.add(ConvKernelCase.of(INPUT_GRAD, true, true, "SAME", 2, 4, 4, 4, new int[] {7, 8}, new int[] {3, 3}, new int[] {2, 2},
        new int[] {1, 1}, null));
    c.add(conv(INPUT_GRAD, "SAME", 2, 8, 8, 1, new int[] {6, 6}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, null));
    c.add(conv(INPUT_GRAD, "SAME", 1, 4, 8, 1, new int[] {8, 8}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, null));
    c.add(conv(INPUT_GRAD, "VALID", 1, 4, 8, 1, new int[] {6, 6}, new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, null));
    // Filter gradients. The first is the residual CNN's c1 (batch 5, 3x3 SAME, 3 input channels) that oneDNN's
    // AVX-512 kernel got wrong.
    c.add(conv(FILTER_GRAD, "SAME", 5, 3, 8, 1, new int[] {12, 12}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, null));
    c.add(conv(FILTER_GRAD, "VALID", 2, 1, 6, 1, new int[] {12, 12}, new int[] {5, 5}, new int[] {1, 1}, new int[] {1, 1}, null));
    c.add(conv(FILTER_GRAD, "SAME", 1, 8, 16, 1, new int[] {8, 8}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, null));
    c.add(conv(FILTER_GRAD, "VALID", 1, 4, 8, 1, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, null));
    c.add(conv(FILTER_GRAD, "VALID", 1, 1, 2, 1, new int[] {1, 9}, new int[] {1, 3}, new int[] {1, 2}, new int[] {1, 1}, null));
    return c;
  }

  private static ConvKernelCase conv(Kind kind, String padding, int n, int c, int o, int group, int[] in, int[] k, int[] s,
                                     int[] d, int[] pads) {
    return ConvKernelCase.of(kind, false, true, padding, n, c, o, group, in, k, s, d, pads);
  }
}
