package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TfNativeLogs} in fresh JVMs ({@link TfLogsChild}: MatMul runs and a failing run): by default none of
 * TensorFlow's INFO lines reach stderr, absl's two first-run lines included when the JVM may redirect fd 2
 * ({@code --add-opens=java.base/sun.nio.ch=ALL-UNNAMED}, as the {@code kiln} launcher runs); without that flag
 * they do print (which also shows the quiet run would have caught them); with {@code -Dkiln.tf.logs=verbose}
 * (the CLI's {@code --verbose}) TF's lines come back; a user's own level wins; errors still come through.
 */
class TfNativeLogsTest {
  /** The line TF 2.18 prints at INFO level when its native library loads with oneDNN on. */
  private static final String INFO_LINE = "oneDNN custom operations are on";
  private static final String MLIR_LINE = "MLIR V1 optimization pass is not enabled";
  private static final String ABSL_LINE = "All log messages before absl::InitializeLog()";
  private static final String OPENS = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

  @TempDir Path dir;

  /** stdout and stderr of the child, apart. */
  private record Out(String out, String err) {}

  private Out child(boolean opens, String property, String userLevel, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-cp", System.getProperty("java.class.path")));
    if (opens) cmd.add(OPENS);
    if (property != null) cmd.add("-Dkiln.tf.logs=" + property);
    cmd.add(TfLogsChild.class.getName());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
    pb.environment().remove("TF_ENABLE_ONEDNN_OPTS");
    if (userLevel != null) pb.environment().put("TF_CPP_MIN_LOG_LEVEL", userLevel);
    Process p = pb.start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child timed out");
    Out o = new Out(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    assertEquals(0, p.exitValue(), o.toString());
    assertTrue(o.out.contains("OPS [") && o.out.contains("_Mkl"), "the child ran its MatMul on oneDNN:\n" + o);
    assertTrue(o.out.contains("TF ERROR: In[0] ndims must be >= 2") && o.out.contains("{{node MatMul}}"),
        "a genuine TF error reaches the caller:\n" + o);
    return o;
  }

  @Test void quietByDefaultWithNothingOfTfsOnStderr() throws Exception {
    Out quiet = child(true, null, null);
    assertEquals("", quiet.err, "stderr of a default run with the launcher's flag");
    assertTrue(quiet.out.contains("absorbed"), quiet.out);
  }

  @Test void quietTooWhenTheBackgroundLoaderRunsTheFirstSession() throws Exception {
    Out quiet = child(true, null, null, "preload");
    assertEquals("", quiet.err, "stderr of a run whose first session is the preload thread's");
  }

  @Test void withoutTheFlagTheAbslLinesStillPrintAndTheStatusSaysWhichFlagToAdd() throws Exception {
    Out noFlag = child(false, null, null);
    assertTrue(noFlag.err.contains(MLIR_LINE) && noFlag.err.contains(ABSL_LINE), noFlag.err);
    assertFalse(noFlag.err.contains(INFO_LINE) || noFlag.err.contains("cpu_feature_guard"), noFlag.err);
    assertTrue(noFlag.out.contains(OPENS), noFlag.out);
  }

  @Test void aLineWrittenToFd2DuringTheAbsorbedRunIsReplayed() throws Exception {
    Out replay = child(true, null, null, "replay");
    assertEquals("real native diagnostic\n", replay.err);
  }

  @Test void verboseOnRequestAndAUsersLevelWins() throws Exception {
    Out verbose = child(true, "verbose", null);
    assertTrue(verbose.err.contains(INFO_LINE) && verbose.err.contains(MLIR_LINE),
        "TF's lines come back with -Dkiln.tf.logs=verbose:\n" + verbose.err);
    Out user = child(true, null, "0");
    assertTrue(user.err.contains(INFO_LINE) && user.err.contains(MLIR_LINE), "a user's TF_CPP_MIN_LOG_LEVEL=0 wins:\n" + user.err);
  }

  @Test void onlyTheTwoKnownLinesAreDropped() {
    String captured = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        + "I0000 00:00:1796622182.698189    2634 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not enabled\n"
        + "E0000 00:00:1796622182.698189    2634 some_kernel.cc:12] a real error\n"
        + "I0000 00:00:1.2 3 other.cc:401] MLIR V1 optimization pass is not enabled\n"
        + "partial line without end";
    assertEquals("E0000 00:00:1796622182.698189    2634 some_kernel.cc:12] a real error\n"
        + "I0000 00:00:1.2 3 other.cc:401] MLIR V1 optimization pass is not enabled\n"
        + "partial line without end", TfNativeLogs.withoutKnownLines(captured));
  }
}
