package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * Adam and AdamW. Default ({@code onnxForm} false) is PyTorch's {@code torch.optim.Adam}/{@code AdamW}
 * with step t (1-based): g' = g + wd p; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). AdamW first decays p *= 1 - lr decoupledDecay.
 *
 * <p>{@code onnxForm} true is ONNX's preview-training Adam (alpha = b1, beta = b2, norm_coefficient = wd,
 * norm_coefficient_post = postDecay) with T = t - 1 updates done so far: eps is added to sqrt(v) before
 * the correction R sqrt(1 - b2^T) / (1 - b1^T), which is skipped when T = 0, and the result is scaled by
 * (1 - postDecay).
 */
public record Adam(double b1, double b2, double eps, double weightDecay, double decoupledDecay, double postDecay,
                   boolean onnxForm) implements Optimizer {
  @Override public String describe() {
    return (decoupledDecay != 0 ? "adamw" : "adam") + "(b1=" + b1 + ", b2=" + b2 + ", eps=" + eps
        + (weightDecay != 0 ? ", weightDecay=" + weightDecay : "") + (decoupledDecay != 0 ? ", decoupledDecay=" + decoupledDecay : "")
        + (onnxForm ? ", onnx" : "") + ")";
  }

  @Override public List<Slot> slots(Parameter p) {
    return List.of(new Slot("m", HostTensor.filled(p.initial().dtype(), p.initial().shape(), 0)),
        new Slot("v", HostTensor.filled(p.initial().dtype(), p.initial().shape(), 0)));
  }

  @Override public Update update(GraphBuilder b, Value param, Value grad, List<Value> slots, Value lr, Value step) {
    Value r = Ir.cast(b, lr, param.type().dtype());
    Value t = Ir.cast(b, step, param.type().dtype());
    Value p = decoupledDecay == 0 ? param : Ir.mul(b, param, Ir.rsub(b, 1, Ir.scale(b, r, decoupledDecay)));
    Value g = OptimizerMath.decayed(b, grad, param, weightDecay);
    Value m = Ir.add(b, Ir.scale(b, slots.get(0), b1), Ir.scale(b, g, 1 - b1));
    Value v = Ir.add(b, Ir.scale(b, slots.get(1), b2), Ir.scale(b, Ir.square(b, g), 1 - b2));
    Value next = onnxForm ? onnxStep(b, p, m, v, r, t) : torchStep(b, p, m, v, r, t);
    if (postDecay != 0) next = Ir.scale(b, next, 1 - postDecay);
    boolean fusable = !onnxForm && decoupledDecay == 0 && postDecay == 0 && OptimizerMath.fusable(param);
    return new Update(next, List.of(m, v),
        fusable ? FusedUpdate.adam(param, slots.get(0), slots.get(1), g, lr, step, b1, b2, eps) : null);
  }

  private Value torchStep(GraphBuilder b, Value p, Value m, Value v, Value r, Value t) {
    Value bc1 = Ir.rsub(b, 1, OptimizerMath.powOf(b, b1, t));
    Value bc2 = Ir.rsub(b, 1, OptimizerMath.powOf(b, b2, t));
    Value denom = Ir.plus(b, Ir.div(b, Ir.sqrt(b, v), Ir.sqrt(b, bc2)), eps);
    return Ir.sub(b, p, Ir.mul(b, Ir.div(b, r, bc1), Ir.div(b, m, denom)));
  }

  private Value onnxStep(GraphBuilder b, Value p, Value m, Value v, Value r, Value t) {
    Value done = Ir.plus(b, t, -1);
    // NOTE: T = 0 would make the correction 0/0; adding first = [T == 0] to both factors turns it into 1/1.
    Value first = OptimizerMath.firstStep(b, t);
    Value num = Ir.add(b, Ir.sqrt(b, Ir.rsub(b, 1, OptimizerMath.powOf(b, b2, done))), first);
    Value den = Ir.add(b, Ir.rsub(b, 1, OptimizerMath.powOf(b, b1, done)), first);
    Value rAdj = Ir.mul(b, r, Ir.div(b, num, den));
    return Ir.sub(b, p, Ir.mul(b, rAdj, Ir.div(b, m, Ir.plus(b, Ir.sqrt(b, v), eps))));
  }
}
