package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import java.util.List;
import java.util.Map;

/** The random ops: draws from TF's stateless generators when seeded (a pure function of seed and shape), else its stateful ones. */
final class RandomHandlers {
  private RandomHandlers() {}

  /**
   * RandomUniformLike: low + (high - low) * u, u uniform on [0, 1). Seeded: {@code StatelessRandomUniform} keyed by
   * [the seed's bits, 0], so every run (and every session) gives the same values; unseeded: {@code RandomUniform}
   * with TF's seeds 0, drawing anew each run.
   */
  static List<Object> randomUniformLike(TfEmitter e) {
    Attrs a = e.node().attrs();
    DType dt = a.getDType("dtype");
    Object shape = TfShapes.shapeOf(e, e.input(0));
    Object u;
    if (a.getBool("seeded")) {
      Object key = TfShapes.longs(e, Double.doubleToLongBits(a.getDouble("seed")), 0);
      u = e.op("StatelessRandomUniform", List.of(shape, key), Map.of("dtype", dt), 1).get(0);
    } else {
      u = e.op("RandomUniform", List.of(shape), Map.of("dtype", dt, "seed", 0L, "seed2", 0L), 1).get(0);
    }
    double low = a.getDouble("low");
    double high = a.getDouble("high");
    if (low == 0 && high == 1) return List.of(u);
    Object scaled = e.op("Mul", List.of(u, e.constant(HostTensor.scalar(dt, high - low))), Map.of(), 1).get(0);
    return e.op("AddV2", List.of(scaled, e.constant(HostTensor.scalar(dt, low))), Map.of(), 1);
  }
}
