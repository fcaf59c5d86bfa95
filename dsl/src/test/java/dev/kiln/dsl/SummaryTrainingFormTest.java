package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.types.F32;
import org.junit.jupiter.api.Test;

/** Issue 20: a training-form model's summary shows layers' outputs, not the running statistics they update. */
class SummaryTrainingFormTest {
  @Test
  void batchNormRowShowsItsOutputAndStateUpdatesAreNotLayers() {
    Model m = Model.build("mlp_bn", 1, mb -> {
      Tensor<F32> x = mb.input("x", DTypes.F32, "batch", 8);
      return x.linear("fc1", 16).batchNorm("bn").relu().linear("fc2", 3);
    });
    String s = m.summary();
    assertFalse(s.contains("state_update"), s);
    String bn = s.lines().filter(l -> l.startsWith("bn ")).findFirst().orElseThrow(() -> new AssertionError(s));
    assertTrue(bn.contains("[batch, 16]") || bn.contains("[batch,16]"), s);
  }
}
