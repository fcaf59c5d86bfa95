package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.KilnException;
import org.junit.jupiter.api.Test;

class OutputAgreementTest {
  @Test
  void boundIsAbsolutePlusRelativeToTheReference() {
    OutputAgreement t = new OutputAgreement(1e-3, 1e-6);
    // |10.009 - 10| = 0.009 <= 1e-6 + 1e-3 * 10 = 0.010001: inside, by hand.
    assertEquals(0.009, t.check(new double[] {10.009, 0}, new double[] {10, 0}, "x"), 1e-12);
    // 0.0101 > 0.010001: outside; the message names the element, both values and the bound.
    KilnException e = assertThrows(KilnException.class, () -> t.check(new double[] {0, 10.0101}, new double[] {0, 10}, "x"));
    assertTrue(e.getMessage().contains("element 1 is 10.0101") && e.getMessage().contains("atol 1.00e-06"), e.getMessage());
  }

  @Test
  void defaultsScaleWithTheOutputs() {
    // The MobileNetV2 case of issue 20: logits up to ~8, an export differing by 3.9e-5 is float round-off.
    double[] ref = {0.7, -8.0, 3.0};
    double[] got = {0.7 + 3.9e-5, -8.0, 3.0};
    assertEquals(3.9e-5, OutputAgreement.defaults(ref).check(got, ref, "x"), 1e-9);
    // The fine-tuned MobileNetV2 on an AVX-512 machine: logits up to ~4, 5.6e-5 off on a logit of -0.11.
    double[] tuned = {-0.110576525, 4.0, -2.5};
    assertEquals(5.6252e-5, OutputAgreement.defaults(tuned).check(new double[] {-0.110632777, 4.0, -2.5}, tuned, "x"), 1e-9);
    // A real error stays an error whatever the scale: 1% off, or a batch-norm epsilon's 5e-4 of the scale.
    assertThrows(KilnException.class, () -> OutputAgreement.defaults(ref).check(new double[] {0.707, -8, 3}, ref, "x"));
    assertThrows(KilnException.class, () -> OutputAgreement.defaults(ref).check(new double[] {0.7, -8.004, 3}, ref, "x"));
  }

  @Test
  void nanOnOneSideOnlyOrDifferentSizesDisagree() {
    OutputAgreement t = new OutputAgreement(1, 1);
    assertEquals(0, t.check(new double[] {Double.NaN}, new double[] {Double.NaN}, "x"));
    assertThrows(KilnException.class, () -> t.check(new double[] {Double.NaN}, new double[] {1}, "x"));
    assertThrows(KilnException.class, () -> t.check(new double[] {1, 2}, new double[] {1}, "x"));
    assertThrows(KilnException.class, () -> new OutputAgreement(-1, 0));
  }
}
