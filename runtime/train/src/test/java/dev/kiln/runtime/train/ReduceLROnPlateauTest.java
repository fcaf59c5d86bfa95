package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.io.Npy;
import dev.kiln.spec.KilnException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * ReduceLROnPlateau against torch.optim.lr_scheduler.ReduceLROnPlateau fed the same values
 * (fixtures/evaluation/make_fixtures.py): the rate after each of 40 epochs, for five configurations.
 */
class ReduceLROnPlateauTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/evaluation");

  static double[] fixture(String name) { return Npy.read(DIR.resolve(name + ".npy")).toDoubles(); }

  static Supplier<ReduceLROnPlateau> config(String name) {
    return switch (name) {
      case "default" -> () -> new ReduceLROnPlateau("val_loss", 0.1);
      case "patience2_factor05" -> () -> new ReduceLROnPlateau("val_loss", 0.1).patience(2).factor(0.5);
      case "cooldown_minlr" -> () -> new ReduceLROnPlateau("val_loss", 0.1).patience(1).factor(0.5).cooldown(2).minLr(0.02);
      case "abs_threshold" -> () -> new ReduceLROnPlateau("val_loss", 0.1).patience(3).threshold(0.01, false);
      case "max_mode" -> () -> new ReduceLROnPlateau("val_accuracy", 0.1).patience(2).factor(0.3);
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "patience2_factor05", "cooldown_minlr", "abs_threshold", "max_mode"})
  void matchesTorch(String name) {
    double[] values = fixture("plateau_values");
    double[] want = fixture("plateau_" + name);
    ReduceLROnPlateau s = config(name).get();
    double sign = name.equals("max_mode") ? -1 : 1; // the fixture maximises the negated values
    for (int i = 0; i < values.length; i++) {
      assertEquals(want[i], s.observe(sign * values[i]), 1e-15 * want[i], name + ": rate after epoch " + i);
      assertEquals(s.current(), s.rate(i + 1, 0));
    }
    s.reset();
    assertEquals(0.1, s.current());
  }

  @Test void rejectsBadSettings() {
    assertThrows(KilnException.class, () -> new ReduceLROnPlateau("val_loss", 0.1).factor(1));
    assertThrows(KilnException.class, () -> new ReduceLROnPlateau("val_loss", 0));
    assertThrows(KilnException.class, () -> new ReduceLROnPlateau("val_loss", 0.1).patience(-1));
  }
}
