package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * SGD with optional momentum, dampening, Nesterov and L2 weight decay, as PyTorch's {@code torch.optim.SGD}:
 * g' = g + wd p; buf = mu buf + (1 - dampening) g' (buf = g' on the first step); p -= lr buf, or with
 * Nesterov p -= lr (g' + mu buf). This is also ONNX's preview-training Momentum with alpha = mu,
 * beta = 1 - dampening, norm_coefficient = wd and mode standard/nesterov.
 */
public record Sgd(double momentum, double dampening, boolean nesterov, double weightDecay) implements Optimizer {
  public Sgd {
    if (momentum < 0) throw new IllegalArgumentException("sgd: momentum must be >= 0, got " + momentum);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("sgd: Nesterov needs momentum > 0 and zero dampening (as in PyTorch)");
    }
  }

  @Override public String describe() {
    return (nesterov ? "nesterov" : momentum > 0 ? "momentum" : "sgd") + "(mu=" + momentum
        + (dampening != 0 ? ", dampening=" + dampening : "") + (weightDecay != 0 ? ", weightDecay=" + weightDecay : "") + ")";
  }

  @Override public List<Slot> slots(Parameter p) {
    return momentum > 0 ? List.of(new Slot("momentum", HostTensor.filled(p.initial().dtype(), p.initial().shape(), 0)))
        : List.of();
  }

  @Override public Update update(GraphBuilder b, Value param, Value grad, List<Value> slots, Value lr, Value step) {
    Value r = Ir.cast(b, lr, param.type().dtype());
    Value g = OptimizerMath.decayed(b, grad, param, weightDecay);
    boolean fusable = OptimizerMath.fusable(param);
    if (momentum == 0) {
      return new Update(Ir.sub(b, param, Ir.mul(b, r, g)), List.of(), fusable ? FusedUpdate.sgd(param, g, lr) : null);
    }
    // NOTE: PyTorch starts the buffer at g (not (1 - dampening) g); with a zero buffer that is a
    // gradient coefficient of 1 on step 1: (1 - dampening) + dampening * first.
    Value first = OptimizerMath.firstStep(b, Ir.cast(b, step, param.type().dtype()));
    Value coef = Ir.plus(b, Ir.scale(b, first, dampening), 1 - dampening);
    Value buf = Ir.add(b, Ir.scale(b, slots.get(0), momentum), Ir.mul(b, coef, g));
    Value direction = nesterov ? Ir.add(b, g, Ir.scale(b, buf, momentum)) : buf;
    return new Update(Ir.sub(b, param, Ir.mul(b, r, direction)), List.of(buf),
        // NOTE: the fused rule's buffer is mu buf + g'; with zero dampening and the zero-initialised buffer that
        // is this rule (step 1's buf = g', as PyTorch's). With dampening PyTorch does not damp step 1: not fused.
        fusable && dampening == 0 ? FusedUpdate.momentum(param, slots.get(0), g, lr, momentum, nesterov) : null);
  }
}
