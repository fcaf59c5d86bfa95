package dev.kiln.runtime.tf;

/**
 * Keeps TensorFlow's C++ log lines off stderr by default: the INFO and WARNING lines TF prints on every run
 * ("oneDNN custom operations are on", "cpu_feature_guard: This TensorFlow binary is optimized ...")
 * say nothing a Kiln user can act on. TF reads {@code TF_CPP_MIN_LOG_LEVEL} once, when its native library
 * loads, so this sets it in the C environment then, the way {@link OneDnn} sets oneDNN's variables; errors
 * (level 2) still print.
 *
 * <p>Known gap: TF 2.18 logs a few lines through absl rather than its own logger, which this variable does not
 * reach and which Java cannot reconfigure without a native call of its own: on the first session run, {@code
 * "MLIR V1 optimization pass is not enabled"} after absl's {@code "WARNING: All log messages before
 * absl::InitializeLog() ..."} still print, once per process. (Tried: absl's level lives in a private global;
 * libtensorflow_framework exports a setter whose one instruction locates its copy, but the MLIR pass is in
 * libtensorflow_cc, which links its own absl with that global and setter LOCAL, visible only in the file's
 * {@code .symtab}: reaching it would mean parsing the ELF file and poking memory, which Kiln does not do.)
 *
 * <p>A user's own {@code TF_CPP_MIN_LOG_LEVEL} always wins; {@code -Dkiln.tf.logs=verbose} (what the
 * CLI's {@code --verbose} sets) leaves TF's default, every line shown.
 */
public final class TfNativeLogs {
  private TfNativeLogs() {}

  static final String VAR = "TF_CPP_MIN_LOG_LEVEL";
  /** Errors only: hides INFO (0) and WARNING (1) lines. */
  static final String QUIET = "2";
  private static volatile String status;

  /** Sets the level once, if it should be; called by {@link OneDnn#configure()} before TF's natives load. */
  static synchronized void configure() {
    if (status != null) return;
    String user = System.getenv(VAR);
    if (user != null) {
      status = VAR + "=" + user + " (set by the user)";
    } else if ("verbose".equalsIgnoreCase(System.getProperty("kiln.tf.logs"))) {
      status = "TensorFlow's native logs shown (-Dkiln.tf.logs=verbose)";
    } else {
      try {
        OneDnn.putEnv(VAR + "=" + QUIET);
        status = VAR + "=" + QUIET + " (errors only; set by Kiln before TensorFlow loaded)";
      } catch (Throwable e) {
        status = VAR + " could not be set (" + e + "); TensorFlow logs at its default level";
      }
    }
  }

  /** What {@link #configure()} found or did. */
  public static String status() {
    OneDnn.configure();
    return status;
  }
}
