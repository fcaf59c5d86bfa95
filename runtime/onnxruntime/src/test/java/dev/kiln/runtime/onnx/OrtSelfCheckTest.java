package dev.kiln.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Cpu;
import dev.kiln.spec.harness.Goldens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's CPU convolution kernels in the forms Kiln exports give the known answers; a kernel that
 * is wrong only with graph optimisations on (injected here) turns them off for Kiln's sessions, with one
 * warning naming the CPU and the case.
 */
class OrtSelfCheckTest {
  @AfterEach
  void forget() { OrtSelfCheck.reset(); }

  /** The check runs a prebuilt model; it must be exactly what Kiln's exporter makes of the cases now. */
  @Test
  void theShippedModelIsWhatKilnExports() throws Exception {
    Path shipped = Path.of("src/main/resources/dev/kiln/runtime/onnx", OrtSelfCheck.MODEL);
    byte[] now = OrtSelfCheck.model();
    if (Goldens.updating()) Files.write(shipped, now);
    assertArrayEquals(Files.readAllBytes(shipped), now,
        shipped + " is stale: regenerate it with -Dkiln.update.goldens=true (OrtSelfCheckTest)");
  }

  @Test
  void everyExportedConvFormGivesTheKnownAnswer() {
    OrtSelfCheck.Report r = OrtSelfCheck.check(OrtSelfCheck.ResultFilter.NONE);
    System.out.printf("[ort self-check] again: %.1f ms%n", OrtSelfCheck.check(OrtSelfCheck.ResultFilter.NONE).millis());
    System.out.printf("[ort self-check] %d cases in %.1f ms on %s; failed: %s%n", OrtSelfCheck.cases().size(), r.millis(),
        Cpu.describe(), r.failed());
    assertEquals(List.of(), r.failed());
    assertFalse(OrtSelfCheck.unoptimised());
  }

  @Test
  void aKernelWrongOnlyWhenOptimisedTurnsOptimisationsOff() {
    List<String> warnings = new ArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord rec) { warnings.add(rec.getMessage()); }
      @Override public void flush() {}
      @Override public void close() {}
    };
    Logger log = Logger.getLogger(OrtSelfCheck.class.getName());
    log.addHandler(capture);
    try {
      OrtSelfCheck.Report r = OrtSelfCheck.check((c, optimised, actual) -> {
        if (!optimised || c.kind() != OrtSelfCheck.Kind.FILTER_GRAD) return actual;
        double[] bad = actual.clone();
        bad[bad.length - 1] -= 1;
        return bad;
      });
      assertEquals(9, r.failed().size(), r.failed().toString());
      assertEquals(List.of(), r.failedUnoptimised());
      assertTrue(OrtSelfCheck.unoptimised());
      assertEquals(1, warnings.size());
      assertTrue(warnings.get(0).contains(Cpu.describe()) && warnings.get(0).contains("FILTER_GRAD mb2ic3oc8g1_in[6, 6]")
          && warnings.get(0).contains("run unoptimised"), warnings.get(0));
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void aKernelWrongEitherWayIsReported() {
    OrtSelfCheck.Report r = OrtSelfCheck.check((c, optimised, actual) -> {
      if (c.kind() != OrtSelfCheck.Kind.CONV_TRANSPOSE || c.g().in().length != 1) return actual;
      double[] bad = actual.clone();
      bad[0] = Double.NaN;
      return bad;
    });
    assertEquals(1, r.failed().size(), r.failed().toString());
    assertEquals(r.failed(), r.failedUnoptimised());
    assertFalse(OrtSelfCheck.unoptimised(), "optimisations off would not help");
  }
}
