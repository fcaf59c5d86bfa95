package dev.kiln.samples;

import dev.kiln.runtime.train.Optimizer;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) as IR update rules, a stand-in for the project's {@code Optimizers.adam}:
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − lr·m̂ / (√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
 * TODO(lead): replace with {@code Optimizers.adam(1e-3)} once merged and delete this class.
 */
final class StandInAdam implements Optimizer {
  private final double b1 = 0.9;
  private final double b2 = 0.999;
  private final double eps = 1e-7;

  @Override public String describe() { return "adam(b1=0.9, b2=0.999, eps=1e-7) (stand-in)"; }

  @Override public List<Slot> slots(Parameter p) {
    DType d = p.value().type().dtype();
    return List.of(new Slot("m", HostTensor.filled(d, p.initial().shape(), 0)), new Slot("v", HostTensor.filled(d, p.initial().shape(), 0)));
  }

  private static Value c(GraphBuilder b, double v) { return b.apply1("Constant", Attrs.of("value", HostTensor.scalar(DType.F32, v))); }

  private static Value op(GraphBuilder b, String name, Value x, Value y) { return b.apply1(name, Attrs.EMPTY, x, y); }

  @Override public Update update(GraphBuilder b, Value p, Value g, List<Value> slots, Value lr, Value step) {
    Value m = op(b, "Add", op(b, "Mul", slots.get(0), c(b, b1)), op(b, "Mul", g, c(b, 1 - b1)));
    Value v = op(b, "Add", op(b, "Mul", slots.get(1), c(b, b2)), op(b, "Mul", op(b, "Mul", g, g), c(b, 1 - b2)));
    Value one = c(b, 1);
    Value mHat = op(b, "Div", m, op(b, "Sub", one, op(b, "Pow", c(b, b1), step)));
    Value vHat = op(b, "Div", v, op(b, "Sub", one, op(b, "Pow", c(b, b2), step)));
    Value delta = op(b, "Div", op(b, "Mul", mHat, lr), op(b, "Add", b.apply1("Sqrt", Attrs.EMPTY, vHat), c(b, eps)));
    return new Update(op(b, "Sub", p, delta), List.of(m, v));
  }
}
