package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop as PyTorch's {@code torch.optim.RMSprop}: g' = g + wd p; s = alpha s + (1 - alpha) g'^2;
 * centered: a = alpha a + (1 - alpha) g', d = sqrt(s - a^2) + eps, else d = sqrt(s) + eps;
 * with momentum: buf = momentum buf + g' / d, p -= lr buf; without: p -= lr g' / d.
 */
public record RmsProp(double alpha, double eps, double weightDecay, double momentum, boolean centered) implements Optimizer {
  @Override public String describe() {
    return "rmsprop(alpha=" + alpha + ", eps=" + eps + (weightDecay != 0 ? ", weightDecay=" + weightDecay : "")
        + (momentum != 0 ? ", momentum=" + momentum : "") + (centered ? ", centered" : "") + ")";
  }

  @Override public List<Slot> slots(Parameter p) {
    List<Slot> s = new ArrayList<>();
    s.add(new Slot("square_avg", zeros(p)));
    if (centered) s.add(new Slot("grad_avg", zeros(p)));
    if (momentum != 0) s.add(new Slot("momentum", zeros(p)));
    return s;
  }

  private static HostTensor zeros(Parameter p) { return HostTensor.filled(p.initial().dtype(), p.initial().shape(), 0); }

  @Override public Update update(GraphBuilder b, Value param, Value grad, List<Value> slots, Value lr, Value step) {
    Value r = Ir.cast(b, lr, param.type().dtype());
    Value g = OptimizerMath.decayed(b, grad, param, weightDecay);
    List<Value> out = new ArrayList<>();
    int i = 0;
    Value s = Ir.add(b, Ir.scale(b, slots.get(i++), alpha), Ir.scale(b, Ir.square(b, g), 1 - alpha));
    out.add(s);
    Value centeredS = s;
    if (centered) {
      Value a = Ir.add(b, Ir.scale(b, slots.get(i++), alpha), Ir.scale(b, g, 1 - alpha));
      out.add(a);
      centeredS = Ir.sub(b, s, Ir.square(b, a));
    }
    Value d = Ir.plus(b, Ir.sqrt(b, centeredS), eps);
    Value direction = Ir.div(b, g, d);
    if (momentum != 0) {
      direction = Ir.add(b, Ir.scale(b, slots.get(i), momentum), direction);
      out.add(direction);
    }
    return new Update(Ir.sub(b, param, Ir.mul(b, r, direction)), out);
  }
}
