package dev.kiln.dsl.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.DTypes;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each initializer's sample statistics against its formula (Glorot: std = sqrt(2/(fanIn+fanOut)),
 * He: sqrt(2/fanIn), LeCun: sqrt(1/fanIn); a uniform of bound a has std a/sqrt(3)), and the seeding
 * contract: same seed same bytes, per-name streams.
 */
class InitializersTest {
  private static final TensorType BIG = TensorType.of(DType.F32, 512, 512);
  private static final long FAN_IN = 512;
  private static final long FAN_OUT = 512;

  private static double[] sample(Initializer init) {
    return init.create(BIG, FAN_IN, FAN_OUT, new SplittableRandom(1234)).toDoubles();
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  private static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return Math.sqrt(s / v.length);
  }

  private static double maxAbsDev(double[] v, double center) {
    double m = 0;
    for (double x : v) m = Math.max(m, Math.abs(x - center));
    return m;
  }

  /** Mean within 3% of std from {@code mean}; std within 2% of {@code std}. */
  private static void assertStats(String what, double[] v, double mean, double std) {
    assertTrue(Math.abs(mean(v) - mean) < 0.03 * std, what + ": mean " + mean(v) + " vs " + mean);
    assertEquals(std, std(v), 0.02 * std, what + ": std");
  }

  /** A uniform sample: its stats, and its range reaches (but does not pass) the bound. */
  private static void assertUniform(String what, double[] v, double center, double bound) {
    assertStats(what, v, center, bound / Math.sqrt(3));
    double dev = maxAbsDev(v, center);
    assertTrue(dev <= bound * (1 + 1e-6) && dev > 0.999 * bound, what + ": max |x - c| " + dev + " vs bound " + bound);
  }

  @Test
  void glorot() {
    double std = Math.sqrt(2.0 / (FAN_IN + FAN_OUT));
    assertUniform("glorot_uniform", sample(Initializers.glorotUniform()), 0, std * Math.sqrt(3));
    assertStats("glorot_normal", sample(Initializers.glorotNormal()), 0, std);
    assertArrayEquals(sample(Initializers.glorotUniform()), sample(Initializers.xavierUniform()));
    assertArrayEquals(sample(Initializers.glorotNormal()), sample(Initializers.xavierNormal()));
  }

  @Test
  void he() {
    double std = Math.sqrt(2.0 / FAN_IN);
    assertUniform("he_uniform", sample(Initializers.heUniform()), 0, std * Math.sqrt(3));
    assertStats("he_normal", sample(Initializers.heNormal()), 0, std);
    assertArrayEquals(sample(Initializers.heUniform()), sample(Initializers.kaimingUniform()));
    assertArrayEquals(sample(Initializers.heNormal()), sample(Initializers.kaimingNormal()));
  }

  @Test
  void lecun() {
    double std = Math.sqrt(1.0 / FAN_IN);
    assertUniform("lecun_uniform", sample(Initializers.lecunUniform()), 0, std * Math.sqrt(3));
    assertStats("lecun_normal", sample(Initializers.lecunNormal()), 0, std);
  }

  @Test
  void heUsesFanInOnly() {
    double[] v = Initializers.heNormal().create(BIG, 128, 4096, new SplittableRandom(5)).toDoubles();
    assertStats("he_normal fanIn 128", v, 0, Math.sqrt(2.0 / 128));
  }

  @Test
  void constants() {
    for (double x : sample(Initializers.zeros())) assertEquals(0.0, x);
    for (double x : sample(Initializers.ones())) assertEquals(1.0, x);
    for (double x : sample(Initializers.constant(2.5))) assertEquals(2.5, x);
  }

  @Test
  void normalAndUniform() {
    assertStats("normal(0.5, 2)", sample(Initializers.normal(0.5, 2)), 0.5, 2);
    assertUniform("uniform(-1, 3)", sample(Initializers.uniform(-1, 3)), 1, 2);
  }

  private static Model twoLayers(long seed) {
    return Model.build("m", seed, m -> {
      Tensor<F32> x = m.input("x", DTypes.F32, "batch", 16);
      return m.linear("b", m.linear("a", x, 16), 16);
    });
  }

  private static HostTensor weight(Model m, String name) { return m.graph().parameter(name).orElseThrow().initial(); }

  @Test
  void sameSeedGivesIdenticalBytes() {
    Graph g1 = twoLayers(7).graph();
    Graph g2 = twoLayers(7).graph();
    for (int i = 0; i < g1.parameters().size(); i++) {
      assertArrayEquals(g1.parameters().get(i).initial().bytes(), g2.parameters().get(i).initial().bytes());
    }
  }

  @Test
  void otherSeedOrOtherNameGivesOtherValues() {
    assertNotEquals(weight(twoLayers(7), "a.weight"), weight(twoLayers(8), "a.weight"));
    Model m = twoLayers(7);
    assertNotEquals(weight(m, "a.weight"), weight(m, "b.weight"), "same shape, same seed, different names");
  }

  @Test
  void addingAnEarlierLayerKeepsLaterLayersValues() {
    Model without = Model.build("m", 3, m -> m.linear("fc2", m.input("x", DTypes.F32, "batch", 16), 8));
    Model with = Model.build("m", 3, m -> {
      Tensor<F32> x = m.input("x", DTypes.F32, "batch", 16);
      return m.linear("fc2", m.linear("fc1", x, 16).relu(), 8);
    });
    assertEquals(weight(without, "fc2.weight"), weight(with, "fc2.weight"));
    assertEquals(weight(without, "fc2.bias"), weight(with, "fc2.bias"));
  }
}
