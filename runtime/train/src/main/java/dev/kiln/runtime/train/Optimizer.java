package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * An optimizer written as IR update rules, so the same update lowers to TensorFlow for training and
 * exports to ONNX. For each trainable parameter the trainer creates the optimizer's state slots as
 * non-trainable parameters, then calls {@link #update} inside the train-step graph.
 */
public interface Optimizer {
  /** One piece of per-parameter state, e.g. Adam's first moment {@code m}. */
  record Slot(String name, HostTensor initial) {}

  /**
   * The result of one update: the parameter's new value and each slot's new value, in slot order, and
   * optionally ({@code fused}, else null) the same update as a neutral {@link FusedUpdate} descriptor,
   * which a back end with a fused kernel for it (TensorFlow's {@code ResourceApplyAdam}) runs instead of
   * assigning the new values. An optimizer offers it only where the descriptor's rule is exactly its IR rule.
   */
  record Update(Value parameter, List<Value> slots, FusedUpdate fused) {
    /** An update without a fused form. */
    public Update(Value parameter, List<Value> slots) { this(parameter, slots, null); }
  }

  /** Short name with hyper-parameters for reports, e.g. {@code adam(lr=0.001, b1=0.9, b2=0.999)}. */
  String describe();

  /** The state slots for {@code p} with their initial values (empty for plain SGD). */
  List<Slot> slots(Parameter p);

  /**
   * Builds the update of one parameter in {@code b}.
   *
   * @param param the parameter's current value
   * @param grad its gradient (same type)
   * @param slots the current slot values, in {@link #slots} order
   * @param lr the learning rate for this step, an f32 scalar graph input (schedules are computed on the host)
   * @param step the 1-based step number as an f32 scalar graph input (for bias correction)
   */
  Update update(GraphBuilder b, Value param, Value grad, List<Value> slots, Value lr, Value step);
}
