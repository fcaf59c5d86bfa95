package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Schedules against their formulas, evaluated by hand at chosen points. */
class SchedulesTest {
  private static final double EPS = 1e-12;

  @Test void constant() {
    assertEquals(0.1, Schedules.constant(0.1).rate(0, 0), EPS);
    assertEquals(0.1, Schedules.constant(0.1).rate(37, 12345), EPS);
  }

  @Test void timeDecay() {
    LearningRateSchedule s = Schedules.timeDecay(0.1, 0.5);
    assertEquals(0.1, s.rate(0, 0), EPS);
    assertEquals(0.05, s.rate(2, 99), EPS); // 0.1 / (1 + 0.5 * 2)
    assertEquals(0.1 / 6, s.rate(10, 0), EPS);
  }

  @Test void stepDecay() {
    LearningRateSchedule s = Schedules.stepDecay(1.0, 3, 0.5);
    assertEquals(1.0, s.rate(0, 0), EPS);
    assertEquals(1.0, s.rate(2, 0), EPS);
    assertEquals(0.5, s.rate(3, 0), EPS);
    assertEquals(0.25, s.rate(7, 0), EPS);
    assertThrows(IllegalArgumentException.class, () -> Schedules.stepDecay(1, 0, 0.5));
  }

  @Test void exponential() {
    LearningRateSchedule s = Schedules.exponential(0.2, 0.9);
    assertEquals(0.2, s.rate(0, 0), EPS);
    assertEquals(0.2 * 0.81, s.rate(2, 0), EPS);
  }

  @Test void inverseSqrt() {
    LearningRateSchedule s = Schedules.inverseSqrt(0.3);
    assertEquals(0.3, s.rate(0, 0), EPS);
    assertEquals(0.15, s.rate(3, 0), EPS); // 0.3 / sqrt(4)
  }

  @Test void cosine() {
    LearningRateSchedule s = Schedules.cosine(1.0, 100, 0.1);
    assertEquals(1.0, s.rate(0, 0), EPS);
    assertEquals(0.55, s.rate(0, 50), EPS); // halfway: min + (a0 - min) / 2
    assertEquals(0.1 + 0.9 * (1 + Math.sqrt(0.5)) / 2, s.rate(0, 25), EPS); // cos(pi / 4)
    assertEquals(0.1, s.rate(0, 100), EPS);
    assertEquals(0.1, s.rate(0, 1000), EPS); // held at min
  }

  @Test void transformer() {
    LearningRateSchedule s = Schedules.transformer(512, 4000);
    double scale = 1 / Math.sqrt(512);
    // Warm-up: linear in s = step + 1.
    assertEquals(scale * 1 / Math.pow(4000, 1.5), s.rate(0, 0), EPS);
    assertEquals(scale * 1000 / Math.pow(4000, 1.5), s.rate(0, 999), EPS);
    // Peak at s = warmup, where both branches equal warmup^-0.5.
    assertEquals(scale / Math.sqrt(4000), s.rate(0, 3999), EPS);
    // Then inverse square root.
    assertEquals(scale / Math.sqrt(16000), s.rate(0, 15999), EPS);
  }
}
