package dev.kiln.samples;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.BatchSource;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.HostTensor;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Two trainers of the same model on two back ends stepped in lock step: before each step the second takes the first's
 * state (parameters, optimizer slots, statistics), so each step's loss and update are compared on the same state and
 * differences cannot compound. What it measures is how far the two implementations of one step differ, which a
 * free-running comparison mixes with training's own amplification of rounding.
 */
final class LockStep {
  private LockStep() {}

  /**
   * The worst relative loss difference, and the median and worst relative difference of the update (the global
   * 2-norm of (new state B - new state A) over that of (new state A - old state)), with the step of the worst.
   * NOTE: the worst update difference is a discrete event more than a precision figure: a ReLU unit whose input
   * lies within rounding of 0 on one back end and across it on the other sends its whole gradient row one way or the
   * other (measured: MLP steps at 2e-6 relative, one step at 3.7e-3).
   */
  record Figures(double worstLoss, double medianUpdate, double worstUpdate, int worstUpdateStep) {}

  static Figures run(Supplier<Trainer> a, Supplier<Trainer> b, Dataset train, int epochs, int batch, long seed) {
    double worstLoss = 0;
    double worstUpdate = 0;
    int worstStep = 0;
    java.util.List<Double> updates = new java.util.ArrayList<>();
    int step = 0;
    try (Trainer ta = a.get(); Trainer tb = b.get()) {
      for (int e = 0; e < epochs; e++) {
        for (Batch bt : train.batches(batch, true, BatchSource.epochSeed(seed, e))) {
          step++;
          Map<String, HostTensor> before = ta.variables();
          if (!before.isEmpty()) tb.setVariables(before);  // the first step starts from the same initial state anyway
          double la = ta.trainStep(bt).loss();
          double lb = tb.trainStep(bt).loss();
          worstLoss = Math.max(worstLoss, Math.abs(la - lb) / Math.abs(la));
          if (before.isEmpty()) continue;
          double u = updateDifference(before, ta.variables(), tb.variables());
          updates.add(u);
          if (u > worstUpdate) { worstUpdate = u; worstStep = step; }
        }
      }
    }
    java.util.Collections.sort(updates);
    return new Figures(worstLoss, updates.isEmpty() ? 0 : updates.get(updates.size() / 2), worstUpdate, worstStep);
  }

  static double updateDifference(Map<String, HostTensor> before, Map<String, HostTensor> a, Map<String, HostTensor> b) {
    double diff = 0;
    double size = 0;
    for (String name : before.keySet()) {
      if (!before.get(name).dtype().isFloating()) continue;
      double[] x = before.get(name).toDoubles();
      double[] ya = a.get(name).toDoubles();
      double[] yb = b.get(name).toDoubles();
      for (int i = 0; i < x.length; i++) {
        diff += (yb[i] - ya[i]) * (yb[i] - ya[i]);
        size += (ya[i] - x[i]) * (ya[i] - x[i]);
      }
    }
    return size == 0 ? 0 : Math.sqrt(diff / size);
  }
}
