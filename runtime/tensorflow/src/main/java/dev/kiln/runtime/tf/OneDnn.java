package dev.kiln.runtime.tf;

import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Sets TensorFlow's oneDNN up before its native library loads: on, and capped at AVX2.
 *
 * <p>On: TF-Java 1.1.0's native build (TF 2.18) leaves oneDNN off unless {@code TF_ENABLE_ONEDNN_OPTS=1}
 * is set when TF's native library loads (read once; setting it later has no effect), and Java cannot set
 * environment variables of its own process. So, once, before any class of this package touches TF's
 * natives: when the variable is unset (a user's explicit value, {@code 0} included, always wins) and
 * {@code -Dkiln.onednn} is not {@code false}, the C environment gets {@code TF_ENABLE_ONEDNN_OPTS=1}.
 *
 * <p>Capped at AVX2: oneDNN 3.5 (in TF 2.18) computes some convolution gradients wrongly with its AVX-512
 * kernels (see {@code docs/cpu-correctness.md}), so Kiln sets {@code ONEDNN_MAX_CPU_ISA=AVX2} too, which
 * oneDNN reads when it first dispatches a kernel. On AVX2 machines this changes nothing. A user's
 * {@code ONEDNN_MAX_CPU_ISA} or {@code DNNL_MAX_CPU_ISA} wins; {@code -Dkiln.onednn.isa=NAME} picks another
 * cap ({@code native} for none, or a oneDNN name such as {@code AVX512_CORE}, {@code AVX}, {@code SSE41}).
 * {@link TfSelfCheck} still checks the kernels at whatever ISA runs.
 *
 * <p>How: through JavaCPP (TF-Java's own native binding layer), {@code Loader.addressof("environ")} finds
 * libc's {@code environ}, and a copy of the array with the entries appended replaces it, which is what
 * {@code putenv} does. NOTE: this is safe only while no other thread reads the environment, which holds
 * during class initialisation before TF has started threads; the new array and strings must stay
 * allocated for the life of the process, hence the static references. {@code System.getenv} keeps
 * showing the old environment (the JDK caches it at start-up), so {@link #status()} reports what was done.
 */
public final class OneDnn {
  private OneDnn() {}

  private static final String VAR = "TF_ENABLE_ONEDNN_OPTS";
  private static final String ISA_VAR = "ONEDNN_MAX_CPU_ISA";
  /** Kiln's default cap: the widest ISA whose convolution kernels gave right answers on every CPU tried. */
  static final String DEFAULT_ISA = "AVX2";
  private static volatile String status;
  // NOTE: lists, since each putEnv call's array and strings must outlive the process.
  private static final java.util.List<Object> keepAlive = new java.util.ArrayList<>();

  /** Sets the variables if they should be (idempotent; call before TF's natives load). */
  public static synchronized void configure() {
    if (status != null) return;
    TfNativeLogs.configure();  // same moment, same constraint: before TF's natives load
    String user = System.getenv(VAR);
    String onednn;
    String isa = null;
    if (user != null) {
      onednn = VAR + "=" + user + " (set by the user)";
    } else if ("false".equalsIgnoreCase(System.getProperty("kiln.onednn"))) {
      onednn = VAR + " unset, oneDNN left off (-Dkiln.onednn=false)";
    } else {
      onednn = VAR + "=1";
    }
    String userIsa = System.getenv(ISA_VAR) != null ? System.getenv(ISA_VAR) : System.getenv("DNNL_MAX_CPU_ISA");
    String cap;
    if (userIsa != null) {
      cap = ISA_VAR + "=" + userIsa + " (set by the user)";
    } else {
      String wanted = System.getProperty("kiln.onednn.isa", DEFAULT_ISA).trim().toUpperCase(Locale.ROOT);
      if (wanted.equals("NATIVE") || wanted.equals("ALL")) {
        cap = "oneDNN ISA not capped (-Dkiln.onednn.isa=native)";
      } else {
        isa = wanted;
        cap = ISA_VAR + "=" + wanted;
      }
    }
    boolean setOneDnn = user == null && onednn.equals(VAR + "=1");
    try {
      if (setOneDnn && isa != null) putEnv(VAR + "=1", ISA_VAR + "=" + isa);
      else if (setOneDnn) putEnv(VAR + "=1");
      else if (isa != null) putEnv(ISA_VAR + "=" + isa);
      status = onednn + (setOneDnn ? " (set by Kiln before TensorFlow loaded)" : "") + "; " + cap;
    } catch (Throwable e) {
      // No JavaCPP natives for this platform, or no 'environ' symbol: run TF with its defaults.
      status = onednn + "; " + cap + ", but neither could be set (" + e + "); oneDNN "
          + (user == null ? "off; export " + VAR + "=1 to turn it on" : "as the user set it");
    }
  }

  /** What {@link #configure()} found or did. */
  public static String status() {
    configure();
    return status;
  }

  /** Adds {@code NAME=value} entries to the C environment (see the class comment for when this is safe). */
  static void putEnv(String... entries) {
    Loader.load(Loader.class);
    Pointer environ = Loader.addressof("environ");
    if (environ == null || environ.isNull()) throw new IllegalStateException("no environ symbol");
    PointerPointer<BytePointer> slot = new PointerPointer<>(environ);
    slot.capacity(1);
    PointerPointer<BytePointer> old = new PointerPointer<>(slot.get(0));
    int n = 0;
    while (old.get(n) != null && !old.get(n).isNull()) n++;
    PointerPointer<BytePointer> fresh = new PointerPointer<>(n + entries.length + 1);
    for (int i = 0; i < n; i++) fresh.put(i, old.get(i));
    BytePointer[] kept = new BytePointer[entries.length];
    for (int i = 0; i < entries.length; i++) {
      kept[i] = new BytePointer(entries[i]);
      fresh.put(n + i, kept[i]);
    }
    fresh.put(n + entries.length, (Pointer) null);
    keepAlive.add(fresh);
    keepAlive.add(kept);
    slot.put(0, fresh);
  }
}
