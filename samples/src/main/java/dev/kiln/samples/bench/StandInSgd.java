package dev.kiln.samples.bench;

import dev.kiln.runtime.train.Optimizer;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * p ← p − lr·g. A stand-in for the project's {@code Optimizers.sgd} until it is merged
 * (TODO(lead): replace with {@code Optimizers.sgd(lr)} and delete this class).
 */
final class StandInSgd implements Optimizer {
  @Override public String describe() { return "sgd (stand-in)"; }

  @Override public List<Slot> slots(Parameter p) { return List.of(); }

  @Override public Update update(GraphBuilder b, Value param, Value grad, List<Value> slots, Value lr, Value step) {
    return new Update(b.apply1("Sub", Attrs.EMPTY, param, b.apply1("Mul", Attrs.EMPTY, grad, lr)), List.of());
  }
}
