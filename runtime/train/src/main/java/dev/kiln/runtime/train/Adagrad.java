package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * Adagrad as PyTorch's {@code torch.optim.Adagrad}: clr = lr / (1 + (t - 1) lrDecay); g' = g + wd p;
 * s += g'^2; p -= clr g' / (sqrt(s) + eps). Also ONNX's preview-training Adagrad (decay_factor = lrDecay,
 * norm_coefficient = wd, T = t - 1).
 */
public record Adagrad(double eps, double lrDecay, double weightDecay, double initialAccumulator) implements Optimizer {
  @Override public String describe() {
    return "adagrad(eps=" + eps + (lrDecay != 0 ? ", lrDecay=" + lrDecay : "") + (weightDecay != 0 ? ", weightDecay=" + weightDecay : "") + ")";
  }

  @Override public List<Slot> slots(Parameter p) {
    return List.of(new Slot("sum", HostTensor.filled(p.initial().dtype(), p.initial().shape(), initialAccumulator)));
  }

  @Override public Update update(GraphBuilder b, Value param, Value grad, List<Value> slots, Value lr, Value step) {
    Value r = Ir.cast(b, lr, param.type().dtype());
    Value t = Ir.cast(b, step, param.type().dtype());
    Value clr = lrDecay == 0 ? r : Ir.div(b, r, Ir.plus(b, Ir.scale(b, Ir.plus(b, t, -1), lrDecay), 1));
    Value g = OptimizerMath.decayed(b, grad, param, weightDecay);
    Value s = Ir.add(b, slots.get(0), Ir.square(b, g));
    Value next = Ir.sub(b, param, Ir.mul(b, clr, Ir.div(b, g, Ir.plus(b, Ir.sqrt(b, s), eps))));
    return new Update(next, List.of(s));
  }
}
