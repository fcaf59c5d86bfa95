package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** StepPhases' per-step spread: a step's own work and its all-reduce are told apart, and reset starts afresh. */
class StepPhasesTest {
  private static final Pattern SPREAD = Pattern.compile(
      "own work p10/p50/p90 ([\\d.]+)/([\\d.]+)/([\\d.]+) ms, all-reduce \\(waiting included\\) ([\\d.]+)/([\\d.]+)/([\\d.]+) ms, over (\\d+) steps");

  private static void step(StepPhases p, long workMillis, long allReduceMillis) throws InterruptedException {
    p.start();
    Thread.sleep(workMillis);
    p.lap(StepPhases.Phase.GRADIENTS);
    Thread.sleep(allReduceMillis);
    p.lap(StepPhases.Phase.ALL_REDUCE);
    p.lap(StepPhases.Phase.APPLY);
    p.endStep();
  }

  private static double[] parse(String spread) {
    Matcher m = SPREAD.matcher(spread);
    assertTrue(m.matches(), spread);
    double[] v = new double[7];
    for (int i = 0; i < 7; i++) v[i] = Double.parseDouble(m.group(i + 1));
    return v;
  }

  @Test void ownWorkAndAllReduceAreMeasuredApart() throws InterruptedException {
    StepPhases p = new StepPhases();
    for (int i = 0; i < 10; i++) step(p, 2, 30);
    double[] v = parse(p.spread());
    assertEquals(10, v[6]);
    assertTrue(v[1] >= 2 && v[1] < 30, "own work median: " + p.spread());
    assertTrue(v[4] >= 30, "all-reduce median: " + p.spread());
    assertTrue(v[0] <= v[1] && v[1] <= v[2] && v[3] <= v[4] && v[4] <= v[5], "percentiles in order: " + p.spread());
  }

  @Test void resetForgetsTheEarlierSteps() throws InterruptedException {
    StepPhases p = new StepPhases();
    for (int i = 0; i < 5; i++) step(p, 30, 0);
    p.reset();
    assertEquals("no steps measured", p.spread());
    for (int i = 0; i < 3; i++) step(p, 0, 0);
    double[] v = parse(p.spread());
    assertEquals(3, v[6]);
    assertTrue(v[2] < 30, "only the steps after reset: " + p.spread());
  }

  @Test void keepsTheLastStepsOfALongEpoch() {
    StepPhases p = new StepPhases();
    for (int i = 0; i < StepPhases.KEPT + 100; i++) {
      p.start();
      p.lap(StepPhases.Phase.GRADIENTS);
      p.endStep();
    }
    assertEquals(StepPhases.KEPT + 100, p.steps());
    assertEquals(StepPhases.KEPT, (int) parse(p.spread())[6]);
  }
}
