package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link TfNativeLogs} in fresh JVMs running a MatMul ({@link OneDnnDefaultTest#main}): by default none of
 * TensorFlow's INFO lines reach stderr; with {@code -Dkiln.tf.logs=verbose} (the CLI's {@code --verbose})
 * they do, which also shows the quiet run would have caught them; a user's own level wins.
 */
class TfNativeLogsTest {
  /** The line TF 2.18 prints at INFO level when its native library loads with oneDNN on. */
  private static final String INFO_LINE = "oneDNN custom operations are on";

  private static String child(String property, String userLevel) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-cp", System.getProperty("java.class.path")));
    if (property != null) cmd.add("-Dkiln.tf.logs=" + property);
    cmd.add(OneDnnDefaultTest.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
    pb.environment().remove("TF_ENABLE_ONEDNN_OPTS");
    if (userLevel != null) pb.environment().put("TF_CPP_MIN_LOG_LEVEL", userLevel);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test void quietByDefaultVerboseOnRequestAndAUsersLevelWins() throws Exception {
    String quiet = child(null, null);
    // NOTE: not "MLIR V1 optimization pass": TF 2.18 logs that one through absl, which the variable does not
    // reach (see TfNativeLogs).
    assertFalse(quiet.contains(INFO_LINE) || quiet.contains("cpu_feature_guard"), quiet);
    assertTrue(quiet.contains("OPS [") && quiet.contains("_Mkl"), "the child ran its MatMul on oneDNN:\n" + quiet);
    String verbose = child("verbose", null);
    assertTrue(verbose.contains(INFO_LINE), "TF's INFO lines come back with -Dkiln.tf.logs=verbose:\n" + verbose);
    String user = child(null, "0");
    assertTrue(user.contains(INFO_LINE), "a user's TF_CPP_MIN_LOG_LEVEL=0 wins:\n" + user);
  }
}
