package dev.kiln.runtime.tf;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns TensorFlow's oneDNN kernels on by default for library users. TF-Java 1.1.0's native build
 * (TF 2.18) leaves them off unless the environment variable {@code TF_ENABLE_ONEDNN_OPTS=1} is set when
 * TensorFlow's native library loads; it is read once, at load time (setting it after the load has no
 * effect), and Java cannot set environment variables of its own process.
 *
 * <p>So, once, before any class of this package touches TF's natives: when the variable is unset (a
 * user's explicit value, {@code 0} included, always wins) and the system property
 * {@code kiln.onednn} is not {@code false}, the C environment gets {@code TF_ENABLE_ONEDNN_OPTS=1}
 * through JavaCPP (TF-Java's own native binding layer): {@code Loader.addressof("environ")} finds
 * libc's {@code environ}, and a copy of the array with the entry appended replaces it, which is what
 * {@code putenv} does. NOTE: this is safe only while no other thread reads the environment, which holds
 * during class initialisation before TF has started threads; the new array and string must stay
 * allocated for the life of the process, hence the static references. {@code System.getenv} keeps
 * showing the old environment (the JDK caches it at start-up), so {@link #status()} reports what was done.
 */
public final class OneDnn {
  private OneDnn() {}

  private static final String VAR = "TF_ENABLE_ONEDNN_OPTS";
  private static volatile String status;
  @SuppressWarnings("unused") private static PointerPointer<BytePointer> keptArray;
  @SuppressWarnings("unused") private static BytePointer keptEntry;

  /** Sets the variable if it should be (idempotent; call before TF's natives load). */
  public static synchronized void configure() {
    if (status != null) return;
    String user = System.getenv(VAR);
    if (user != null) {
      status = VAR + "=" + user + " (set by the user)";
    } else if ("false".equalsIgnoreCase(System.getProperty("kiln.onednn"))) {
      status = VAR + " unset, oneDNN left off (-Dkiln.onednn=false)";
    } else {
      try {
        putEnv(VAR + "=1");
        status = VAR + "=1 (set by Kiln before TensorFlow loaded)";
      } catch (Throwable e) {
        // No JavaCPP natives for this platform, or no 'environ' symbol: run TF with its default (off).
        status = VAR + " unset and could not be set (" + e + "); oneDNN off; export " + VAR + "=1 to turn it on";
      }
    }
  }

  /** What {@link #configure()} found or did. */
  public static String status() {
    configure();
    return status;
  }

  private static void putEnv(String entry) {
    Loader.load(Loader.class);
    Pointer environ = Loader.addressof("environ");
    if (environ == null || environ.isNull()) throw new IllegalStateException("no environ symbol");
    PointerPointer<BytePointer> slot = new PointerPointer<>(environ);
    slot.capacity(1);
    PointerPointer<BytePointer> old = new PointerPointer<>(slot.get(0));
    int n = 0;
    while (old.get(n) != null && !old.get(n).isNull()) n++;
    PointerPointer<BytePointer> fresh = new PointerPointer<>(n + 2);
    for (int i = 0; i < n; i++) fresh.put(i, old.get(i));
    BytePointer e = new BytePointer(entry);
    fresh.put(n, e);
    fresh.put(n + 1, (Pointer) null);
    keptArray = fresh;
    keptEntry = e;
    slot.put(0, fresh);
  }
}
