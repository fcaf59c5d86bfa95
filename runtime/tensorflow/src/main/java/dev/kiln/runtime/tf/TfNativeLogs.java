package dev.kiln.runtime.tf;

/**
 * Keeps TensorFlow's C++ log lines off stderr by default: the INFO and WARNING lines TF prints on every run
 * ("oneDNN custom operations are on", "cpu_feature_guard: This TensorFlow binary is optimized ...")
 * say nothing a Kiln user can act on. TF reads {@code TF_CPP_MIN_LOG_LEVEL} once, when its native library
 * loads, so this sets it in the C environment then, the way {@link OneDnn} sets oneDNN's variables; errors
 * (level 2) still print.
 *
 * <p>TF 2.18 also logs two lines through absl rather than its own logger, which the variable does not reach: on
 * the first session run of a process, {@code "WARNING: All log messages before absl::InitializeLog() is called
 * are written to STDERR"} and {@code "I0000 ... mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass
 * is not enabled"} (a {@code LOG_FIRST_N(INFO, 1)} in libtensorflow_cc, whose absl level setter is a LOCAL
 * symbol no library call reaches, and the pass runs for every non-function graph, whatever the session
 * options). So before the process's first Kiln session, {@link #absorbFirstRunLines()} runs a one-node graph of
 * its own with fd 2 sent to a temporary file ({@link StderrCapture}), which uses up absl's once-only warning and
 * the pass's first-N counter, then restores fd 2 and replays every captured line except those two to the real
 * stderr: nothing else is lost, only delayed by the few milliseconds the tiny run takes. Redirecting fd 2 needs
 * the JVM flag {@code --add-opens=java.base/sun.nio.ch=ALL-UNNAMED} (the {@code kiln} launcher passes it; a
 * library user adds it to their {@code java} command or Surefire {@code argLine}); without it the two lines
 * still print, once per process, and {@link #status()} says which flag to add.
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
  /** Whether INFO lines are to be hidden (Kiln's level or a user's level of 1 or more). */
  private static volatile boolean quiet;
  private static String firstRun = "";
  private static boolean absorbed;
  /** The two absl lines {@link #absorbFirstRunLines()} drops; anything else captured is replayed. */
  static final java.util.regex.Pattern KNOWN = java.util.regex.Pattern.compile(
      "WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to STDERR"
      + "|I\\d{4} [^\\]]*mlir_graph_optimization_pass\\.cc:\\d+\\] MLIR V1 optimization pass is not enabled");

  /** Sets the level once, if it should be; called by {@link OneDnn#configure()} before TF's natives load. */
  static synchronized void configure() {
    if (status != null) return;
    String user = System.getenv(VAR);
    if (user != null) {
      status = VAR + "=" + user + " (set by the user)";
      quiet = !user.trim().equals("0") && !user.isBlank();
    } else if ("verbose".equalsIgnoreCase(System.getProperty("kiln.tf.logs"))) {
      status = "TensorFlow's native logs shown (-Dkiln.tf.logs=verbose)";
    } else {
      try {
        OneDnn.putEnv(VAR + "=" + QUIET);
        status = VAR + "=" + QUIET + " (errors only; set by Kiln before TensorFlow loaded)";
        quiet = true;
      } catch (Throwable e) {
        status = VAR + " could not be set (" + e + "); TensorFlow logs at its default level";
      }
    }
  }

  /** What {@link #configure()} and {@link #absorbFirstRunLines()} found or did. */
  public static String status() {
    OneDnn.configure();
    synchronized (TfNativeLogs.class) {
      if (!absorbed && quiet) {
        return status + (StderrCapture.available() ? "; absl's first-run lines (MLIR V1 ...) to be absorbed"
            : "; absl's two first-run lines (MLIR V1 ...) will print: run java with "
            + "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED to absorb them");
      }
      return status + firstRun;
    }
  }

  /**
   * Once per process, before the first Kiln session runs (called by {@link TfSessions} and the kernel
   * self-check): when TF's INFO lines are to be hidden and fd 2 can be redirected, runs a one-node graph with
   * stderr captured and replays all of it but the two {@link #KNOWN} absl lines (see the class comment).
   */
  static void absorbFirstRunLines() {
    absorbDuring(TfNativeLogs::runOneNodeGraph);
  }

  /** {@link #absorbFirstRunLines()} with the captured work given (tests add a line of their own to it). */
  static synchronized void absorbDuring(Runnable work) {
    if (absorbed) return;
    absorbed = true;
    OneDnn.configure();
    if (!quiet) return;
    if (!StderrCapture.available()) {
      firstRun = "; absl's two first-run lines still print (" + StderrCapture.whyUnavailable()
          + "): run java with --add-opens=java.base/sun.nio.ch=ALL-UNNAMED to absorb them";
      return;
    }
    try {
      byte[] captured = StderrCapture.capture(work);
      String rest = withoutKnownLines(new String(captured, java.nio.charset.StandardCharsets.UTF_8));
      if (!rest.isEmpty()) {
        System.err.print(rest);
        System.err.flush();
      }
      firstRun = "; absl's first-run lines (MLIR V1 ...) absorbed";
    } catch (java.io.IOException | RuntimeException e) {
      firstRun = "; absl's first-run lines not absorbed (" + e + ")";
    }
  }

  /** {@code text} without the lines {@link #KNOWN} matches (whole lines, with their line ends). */
  static String withoutKnownLines(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      int next = end < 0 ? text.length() : end + 1;
      String line = text.substring(start, end < 0 ? text.length() : end);
      if (!KNOWN.matcher(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).matches()) {
        out.append(text, start, next);
      }
      start = next;
    }
    return out.toString();
  }

  /** The smallest graph that goes through TF's graph optimisation passes: 1 + 1. */
  static void runOneNodeGraph() {
    try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = TfSessions.withSettings(g)) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      var sum = tf.math.add(tf.constant(1f), tf.constant(1f));
      try (var result = s.runner().fetch(sum).run()) {
        // the value is not needed; running is what uses up the once-only log calls
      }
    }
  }
}
