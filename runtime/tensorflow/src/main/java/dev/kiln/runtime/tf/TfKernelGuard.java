package dev.kiln.runtime.tf;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * TF kernels this process does not trust in f32: {@link TfSelfCheck} adds the op type of every kernel
 * whose known answer came out wrong, and from then on {@link TfOpBuilder} builds that op in f64 (casting
 * its f32 inputs up and its outputs back). TF has no f64 oneDNN kernels, so the op then runs on Eigen's
 * reference kernel: slower, but right. oneDNN fixes its ISA when it first runs, so within one process this
 * is the only way round a faulty kernel; the warning names the settings that avoid it at full speed.
 */
public final class TfKernelGuard {
  private TfKernelGuard() {}

  private static final Map<String, String> DISTRUSTED = Collections.synchronizedMap(new TreeMap<>());

  /** Whether f32 uses of TF op {@code tfOp} are rerouted through f64. */
  public static boolean distrusts(String tfOp) { return !DISTRUSTED.isEmpty() && DISTRUSTED.containsKey(tfOp); }

  /** Reroutes f32 uses of {@code tfOp} from now on; {@code why} names the failed case. */
  static void distrust(String tfOp, String why) { DISTRUSTED.putIfAbsent(tfOp, why); }

  /** The rerouted op types and why (a copy). */
  public static Map<String, String> distrusted() {
    synchronized (DISTRUSTED) {
      return new TreeMap<>(DISTRUSTED);
    }
  }

  /** Trusts every kernel again (tests only: graphs built since keep their f64 form). */
  static void clear() { DISTRUSTED.clear(); }
}
