package dev.kiln.runtime.tf;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.dsl.Model;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With one inter-op thread ({@code -Dkiln.tf.interOpThreads=1}, as {@code kiln train --spark} gives each worker), a
 * TF run executes on the thread that calls it ({@link TfSessions}): the caller's own CPU time covers the run, where
 * a run handed to a pool thread leaves the caller blocked (measured before: 10-30% of the wall time, the feeds and
 * fetches). Runs in the {@code tf-one-thread} surefire execution, which sets the property; skipped elsewhere.
 */
class TfCallerThreadTest {
  @Test
  void oneInterOpThreadRunsTheGraphOnTheCallingThread() {
    assumeTrue(Integer.getInteger("kiln.tf.interOpThreads", 0) == 1, "needs -Dkiln.tf.interOpThreads=1 (the tf-one-thread run)");
    // About 1.6 GFLOP a run in three matrix products, against 1 MB of feeds and fetches: the run is the kernels.
    Model model = Model.build("wide", m -> {
      var x = m.input("x", F32, Dim.symbolic("batch"), 2048);
      var h = m.linear("fc1", x, 2048).relu();
      h = m.linear("fc2", h, 2048).relu();
      return m.linear("fc3", h, 2048);
    });
    HostTensor x = HostTensor.ofFloats(new float[64 * 2048], 64, 2048);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (TfModel m = TfModel.load(model.graph())) {
      for (int i = 0; i < 3; i++) m.run(Map.of("x", x));
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < 10; i++) m.run(Map.of("x", x));
      double share = (threads.getCurrentThreadCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
      assertTrue(share > 0.5, "the calling thread used " + Math.round(100 * share) + "% of the runs' wall time: TF ran them on a pool thread");
    }
  }
}
