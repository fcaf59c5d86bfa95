package dev.kiln.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic and plumbing (no timing is asserted: figures depend on the machine). */
class TrainBenchmarkPartsTest {
  @Test
  void spreadIsMedianAndRangeAndRatiosSkipFailedPairs() {
    Spread s = Spread.of(List.of(3.0, 1.0, 2.0, 10.0));
    assertEquals(2.5, s.median());
    assertEquals(1.0, s.min());
    assertEquals(10.0, s.max());
    Spread r = Spread.ofRatios(List.of(2.0, Double.NaN, 3.0), List.of(1.0, 1.0, 2.0));
    assertEquals(2, r.count());
    assertEquals(1.75, r.median());
    assertEquals("1.750x (1.500 to 2.000, n=2)", r.format("%.3f", "x"));
    assertThrows(IllegalArgumentException.class, () -> Spread.ofRatios(List.of(1.0), List.of()));
  }

  @Test
  void resultLineParsesAndAFailedRunSaysWhy() throws Exception {
    SideProcess.Run r = SideProcess.parse("noise\nRESULT samples_per_s=1000.5 median_step_ms=2.5 first_step_end_ms=11500 peak_rss_mb=300.0\n", 0, 10000);
    assertEquals(1000.5, r.samplesPerSecond());
    assertEquals(1.5, r.startToFirstStepS(), 1e-9);
    assertEquals(300.0, r.peakRssMb());
    SideProcess.Failed f = assertThrows(SideProcess.Failed.class, () -> SideProcess.parse("Traceback: boom", 1, 0));
    assertTrue(f.getMessage().contains("exit code 1") && f.getMessage().contains("boom"), f.getMessage());
  }

  @Test
  void referenceBlasIsFlaggedAndOpenBlasIsNot() {
    assertTrue(TorchBlas.warning("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0").contains("reference netlib BLAS"));
    assertEquals(null, TorchBlas.warning("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 "
        + "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"));
  }

  @Test
  void peakMemoryReadsVmHwm() {
    assertEquals(2.0, PeakMemory.vmHwmMb("Name:\tjava\nVmPeak:\t 9 kB\nVmHWM:\t    2048 kB\n"));
    assertTrue(Double.isNaN(PeakMemory.vmHwmMb("Name:\tjava\n")));
    assertTrue(PeakMemory.selfMb() > 10, "this JVM's own peak");
  }

  @Test
  void everySideTrainsTheRealExamplesAndReportsEveryStep() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "needs Fashion-MNIST");
    BenchModels.BenchModel mlp = BenchModels.model("mlp");
    Dataset d = BenchModels.fashion(mlp, 300, FashionMnist.DEFAULT_DIR);
    assertEquals(List.of(300L, 784L), List.of(d.features().shape()[0], d.features().shape()[1]));
    assertEquals(9, d.labels().toLongs()[0], "Fashion-MNIST's first training label (ankle boot)");
    StepTimes kiln = new StepTimes();
    TrainRun.kiln(mlp, d, 2, "tensorflow", kiln);
    StepTimes ref = new StepTimes();
    TfReference.train("mlp", d.features().toFloats(), d.labels().toLongs(), 2, ref);
    assertEquals(6, kiln.steps(), "3 batches (128, 128, 44) a epoch");
    assertEquals(6, ref.steps());
    assertTrue(kiln.resultLine(600, 128).startsWith("RESULT samples_per_s="), kiln.resultLine(600, 128));
    assertThrows(IllegalArgumentException.class, () -> BenchModels.fashion(mlp, 60001, FashionMnist.DEFAULT_DIR));
  }
}
