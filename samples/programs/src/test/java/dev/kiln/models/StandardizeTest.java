package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Input standardisation: statistics by hand, and the exported step in ONNX Runtime. */
class StandardizeTest {
  @Test void statisticsAreThePopulationMeanAndStd() {
    // 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, variance 14 / 4 = 3.5.
    Standardize s = Standardize.of(HostTensor.ofFloats(new float[] {1, 2, 3, 6}, 2, 2));
    assertEquals(3.0, s.mean(), 1e-12);
    assertEquals(Math.sqrt(3.5), s.std(), 1e-12);
  }

  @Test void theModelStepStandardisesInOnnxRuntime() {
    Standardize s = new Standardize(0.5, 0.25);
    Model m = Model.build("std", 1, b -> {
      b.output("y", s.apply(b.input("x", F32, "batch", 3)));
      return null;
    });
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.toBytes(m.graph()))) {
      float[] y = ort.run(Map.of("x", HostTensor.ofFloats(new float[] {0, 0.5f, 1}, 1, 3))).get("y").toFloats();
      assertArrayEquals(new float[] {-2, 0, 2}, y, 1e-6f);
    }
  }

  @Test void aConstantInputIsRefused() {
    KilnException e = assertThrows(KilnException.class, () -> Standardize.of(HostTensor.ofFloats(new float[] {2, 2}, 2)));
    assertEquals(true, e.getMessage().contains("std > 0"), e.getMessage());
  }
}
