package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Value;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A back-end-neutral description of one optimizer update of one parameter and its slots, for back ends
 * that have it as one fused kernel (TensorFlow's {@code ResourceApply*}). The train-step IR always holds the
 * same update as elementwise ops (it prints, verifies and exports); a back end may run its fused kernel
 * instead of assigning the parameter's and slots' new values, or ignore this descriptor. An optimizer
 * returns one only where the {@link Kind}'s rule below is exactly its own IR rule.
 *
 * <p>The rules, with g = {@link #gradient()} (any weight decay already added), lr = {@link #learningRate()},
 * t = {@link #step()} (1-based) and the hyper-parameters by name:
 * <ul>
 *   <li>{@link Kind#SGD}: p -= lr g. Variables: p.
 *   <li>{@link Kind#MOMENTUM}: buf = momentum buf + g; p -= lr buf. Variables: p, buf (zero-initialised).
 *   <li>{@link Kind#NESTEROV}: buf = momentum buf + g; p -= lr (g + momentum buf). Variables: p, buf.
 *   <li>{@link Kind#ADAM} (PyTorch's Adam): m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²;
 *       p -= lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + eps). Variables: p, m, v. Hyper-parameters
 *       {@code b1}, {@code b2}, {@code eps}.
 * </ul>
 *
 * @param variables the train graph's parameter values the update writes: the parameter, then its slots
 * @param gradient the gradient fed to the rule (an IR value of the train graph)
 * @param learningRate the learning-rate input (f32 scalar)
 * @param step the 1-based step input (f32 scalar); null for kinds that do not read it
 * @param hyper the constant hyper-parameters the kind names
 */
public record FusedUpdate(Kind kind, List<Value> variables, Value gradient, Value learningRate, Value step,
                          Map<String, Double> hyper) {
  /** The update rules a back end may fuse; each names its variables and hyper-parameters. */
  public enum Kind {
    SGD(1, false), MOMENTUM(2, false, "momentum"), NESTEROV(2, false, "momentum"), ADAM(3, true, "b1", "b2", "eps");

    private final int variables;
    private final boolean readsStep;
    private final List<String> hyper;

    Kind(int variables, boolean readsStep, String... hyper) {
      this.variables = variables;
      this.readsStep = readsStep;
      this.hyper = List.of(hyper);
    }

    /** How many variables the rule writes (the parameter and its slots). */
    public int variableCount() { return variables; }

    /** The hyper-parameters the rule reads, by name. */
    public List<String> hyperParameters() { return hyper; }
  }

  public FusedUpdate {
    variables = List.copyOf(variables);
    hyper = Map.copyOf(hyper);
    if (variables.size() != kind.variables) {
      throw new KilnException("fused " + kind + " update writes " + kind.variables + " variables, got " + variables.size());
    }
    if (!hyper.keySet().equals(new java.util.HashSet<>(kind.hyper))) {
      throw new KilnException("fused " + kind + " update takes hyper-parameters " + kind.hyper + ", got " + hyper.keySet());
    }
    if (gradient == null || learningRate == null || (kind.readsStep && step == null)) {
      throw new KilnException("fused " + kind + " update lacks its gradient, learning rate or step");
    }
  }

  /** p -= lr g. */
  public static FusedUpdate sgd(Value param, Value grad, Value lr) {
    return new FusedUpdate(Kind.SGD, List.of(param), grad, lr, null, Map.of());
  }

  /** Heavy-ball ({@code nesterov} false) or Nesterov momentum on the zero-initialised slot {@code buf}. */
  public static FusedUpdate momentum(Value param, Value buf, Value grad, Value lr, double momentum, boolean nesterov) {
    return new FusedUpdate(nesterov ? Kind.NESTEROV : Kind.MOMENTUM, List.of(param, buf), grad, lr, null,
        Map.of("momentum", momentum));
  }

  /** PyTorch's Adam on the zero-initialised slots {@code m} and {@code v}. */
  public static FusedUpdate adam(Value param, Value m, Value v, Value grad, Value lr, Value step, double b1, double b2, double eps) {
    return new FusedUpdate(Kind.ADAM, List.of(param, m, v), grad, lr, step, Map.of("b1", b1, "b2", b2, "eps", eps));
  }

  /** The parameter the update writes. */
  public Value parameter() { return variables.get(0); }

  /** Its slots, in the optimizer's slot order. */
  public List<Value> slots() { return variables.subList(1, variables.size()); }

  /** The hyper-parameter {@code name} (one of {@link Kind#hyperParameters()}). */
  public double hyper(String name) {
    Double v = hyper.get(name);
    if (v == null) throw new KilnException("fused " + kind + " update has no hyper-parameter '" + name + "'");
    return v;
  }

  /** This update with every IR value replaced by {@code f}'s counterpart (e.g. in a graph with composites expanded). */
  public FusedUpdate map(UnaryOperator<Value> f) {
    return new FusedUpdate(kind, variables.stream().map(f).toList(), f.apply(gradient), f.apply(learningRate),
        step == null ? null : f.apply(step), hyper);
  }
}
