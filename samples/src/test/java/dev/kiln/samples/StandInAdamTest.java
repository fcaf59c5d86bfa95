package dev.kiln.samples;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adam's first step, by the formula: m̂ = g and v̂ = g², so p ← p − lr·g/(|g| + ε). */
class StandInAdamTest {
  static Value sumSquared(GraphBuilder b, Value pred, Value target) {
    Value d = b.apply1("Add", Attrs.EMPTY, pred, b.apply1("Neg", Attrs.EMPTY, target));
    return b.apply1("MatMul", Attrs.EMPTY, b.apply1("Transpose", Attrs.of("perm", new long[] {1, 0}), d), d);
  }

  @Test
  void firstStepMatchesTheFormulaAndSlotsHoldTheMoments() {
    Model m = Model.build("lin", 3, mb -> mb.linear("fc", mb.input("x", F32, Dim.symbolic("batch"), 3), 1));
    float[] x = {1, 2, -1, 0.5f, -1, 2, 3, 0, 1, -2, 1, 1};
    float[] t = {1, -1, 2, 0.5f};
    float[] w = m.graph().parameter("fc.weight").orElseThrow().initial().toFloats();
    double[] g = new double[3];
    for (int i = 0; i < 4; i++) {
      double y = 0;
      for (int k = 0; k < 3; k++) y += x[i * 3 + k] * w[k];
      for (int k = 0; k < 3; k++) g[k] += 2 * (y - t[i]) * x[i * 3 + k];
    }
    double lr = 0.01;
    try (Trainer tr = Trainer.builder(m).loss(StandInAdamTest::sumSquared, "output").optimizer(new StandInAdam())
        .learningRate(lr).build()) {
      tr.fit(new Dataset(HostTensor.ofFloats(x, 4, 3), HostTensor.ofFloats(t, 4, 1)), null, 1, 4);
      Map<String, HostTensor> v = tr.variables();
      float[] w1 = v.get("fc.weight").toFloats();
      float[] m1 = v.get("fc.weight/m").toFloats();
      float[] v1 = v.get("fc.weight/v").toFloats();
      for (int k = 0; k < 3; k++) {
        assertEquals(w[k] - lr * g[k] / (Math.abs(g[k]) + 1e-7), w1[k], 1e-6, "weight " + k);
        assertEquals(0.1 * g[k], m1[k], 1e-4 * Math.max(1, Math.abs(g[k])), "m " + k);
        assertEquals(0.001 * g[k] * g[k], v1[k], 1e-4 * Math.max(1, g[k] * g[k]), "v " + k);
      }
    }
  }
}
