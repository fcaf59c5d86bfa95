package dev.kiln.samples.conformance;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.spec.HostTensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The conformance suite's distribution rule for random cases rejects draws that break the op's law. */
class RandomOutputsTest {
  private static final ConformanceCase BERNOULLI = new ConformanceCase("node", "test_bernoulli", Path.of("."));
  private static final ConformanceCase DROPOUT = new ConformanceCase("node", "test_training_dropout_mask", Path.of("."));

  private static HostTensor f(float... v) { return HostTensor.ofFloats(v, v.length); }

  @Test
  void bernoulli() {
    HostTensor p = f(0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0, 1);
    HostTensor want = f(0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
    assertNull(RandomOutputs.problem(BERNOULLI, List.of(p), List.of(want), List.of(f(1, 1, 0, 0, 1, 0, 1, 0, 0, 1))));
    assertNotNull(RandomOutputs.problem(BERNOULLI, List.of(p), List.of(want), List.of(f(1, 1, 0, 0, 1, 0, 1, 0.5f, 0, 1))), "not 0 or 1");
    assertNotNull(RandomOutputs.problem(BERNOULLI, List.of(p), List.of(want), List.of(f(1, 1, 0, 0, 1, 0, 1, 0, 1, 1))), "1 where p = 0");
    HostTensor low = f(0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f);
    assertNotNull(RandomOutputs.problem(BERNOULLI, List.of(low), List.of(want), List.of(f(1, 1, 1, 1, 1, 1, 0, 0, 0, 0))), "6 ones at p = 0.01");
    assertNotNull(RandomOutputs.problem(BERNOULLI, List.of(p), List.of(want), List.of(f(1, 1))), "shape");
  }

  @Test
  void dropout() {
    HostTensor x = f(1, 2, 3, 4, 5, 6, 7, 8);
    HostTensor ratio = HostTensor.ofFloats(new float[] {0.5f});
    HostTensor on = HostTensor.ofBooleans(new boolean[] {true});
    List<HostTensor> in = List.of(x, ratio, on);
    HostTensor mask = HostTensor.ofBooleans(new boolean[] {true, false, true, false, true, false, true, false}, 8);
    List<HostTensor> want = List.of(f(2, 0, 6, 0, 10, 0, 14, 0), mask);
    assertNull(RandomOutputs.problem(DROPOUT, in, want, want));
    assertNotNull(RandomOutputs.problem(DROPOUT, in, want, List.of(f(1, 0, 3, 0, 5, 0, 7, 0), mask)), "not scaled by 1 / (1 - ratio)");
    HostTensor flipped = HostTensor.ofBooleans(new boolean[] {false, false, true, false, true, false, true, false}, 8);
    assertNotNull(RandomOutputs.problem(DROPOUT, in, want, List.of(f(2, 0, 6, 0, 10, 0, 14, 0), flipped)), "mask disagrees with y");
    HostTensor none = HostTensor.ofBooleans(new boolean[8], 8);
    assertNotNull(RandomOutputs.problem(DROPOUT, List.of(x, HostTensor.ofFloats(new float[] {0.01f}), on), want,
        List.of(f(0, 0, 0, 0, 0, 0, 0, 0), none)), "all dropped at ratio 0.01");
    HostTensor off = HostTensor.ofBooleans(new boolean[] {false});
    assertNotNull(RandomOutputs.problem(DROPOUT, List.of(x, ratio, off), want, want), "dropped with training_mode false");
  }
}
