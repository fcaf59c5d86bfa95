package dev.kiln.spec.ir;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a graph records what only training does (see {@code docs/architecture.md}, "Train and eval modes").
 * A <em>state update</em> (a non-trainable parameter's value after the step, e.g. batch norm's running mean)
 * is a graph output named {@value #UPDATE_PREFIX}{@code <parameter>}: outputs survive every pass and copy,
 * and the train step turns them into variable assignments. Randomness (dropout) reads the f32 scalar input
 * {@value #STEP}, which the trainer feeds with the 1-based step counter. The eval-mode rewrite drops both.
 */
public final class TrainingForm {
  /** Prefix of a state-update output's name; the rest is the parameter's name. */
  public static final String UPDATE_PREFIX = "state_update/";
  /** Name of the step-counter input that keys random ops (the same input the train step feeds). */
  public static final String STEP = "train.step";

  private TrainingForm() {}

  /** Records that after a training step, parameter {@code parameter} holds {@code newValue}. */
  public static Value recordUpdate(GraphBuilder b, Value parameter, Value newValue) {
    if (parameter.kind() != Value.Kind.PARAMETER) throw new dev.kiln.spec.KilnException(parameter.name() + " is not a parameter");
    if (!parameter.type().equals(newValue.type())) {
      throw new dev.kiln.spec.KilnException("state update of " + parameter.name() + " must be " + parameter.type() + ", got " + newValue.type());
    }
    return b.output(UPDATE_PREFIX + parameter.name(), newValue);
  }

  /** Whether graph output {@code v} is a state update. */
  public static boolean isUpdate(Value v) { return v.name().startsWith(UPDATE_PREFIX); }

  /** Parameter name → its new value, for every state update of {@code g}, in output order. */
  public static Map<String, Value> updates(Graph g) {
    Map<String, Value> m = new LinkedHashMap<>();
    for (Value v : g.outputs()) if (isUpdate(v)) m.put(v.name().substring(UPDATE_PREFIX.length()), v);
    return m;
  }

  /** The step input of {@code b}'s graph, added on first use. */
  public static Value step(GraphBuilder b) {
    for (Value v : b.inputs()) if (v.name().equals(STEP)) return v;
    return b.input(STEP, new dev.kiln.spec.TensorType(dev.kiln.spec.DType.F32, dev.kiln.spec.Shape.scalar()));
  }
}
