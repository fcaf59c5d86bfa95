package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Cpu;
import org.junit.jupiter.api.Test;

/** {@code kiln doctor} names the CPU and the oneDNN settings and runs both back ends' known-answer checks. */
class DoctorCliTest {
  @Test void doctorChecksBothBackEnds() {
    CliRun r = CliRun.of("doctor");
    assertEquals(0, r.exit(), r.err());
    String out = r.out();
    assertTrue(out.contains("CPU:          " + Cpu.describe()), out);
    assertTrue(out.contains("oneDNN:       TF_ENABLE_ONEDNN_OPTS="), out);
    assertTrue(out.matches("(?s).*TensorFlow:   \\S+, " + dev.kiln.runtime.tf.TfSelfCheck.size() + " known-answer cases in \\d+ ms: (all right|\\d+ wrong).*"), out);
    assertTrue(out.matches("(?s).*ONNX Runtime: \\S+, 27 known-answer cases in \\d+ ms: (all right|\\d+ wrong).*"), out);
  }
}
