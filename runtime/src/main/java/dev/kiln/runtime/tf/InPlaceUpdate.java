package dev.kiln.runtime.tf;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Value;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An optimizer update of one parameter (and its slots) that TensorFlow has as one fused kernel updating
 * the variables in place, e.g. {@code ResourceApplyAdam}. The train-step IR keeps the update as elementwise
 * ops (it prints, verifies and exports to ONNX); {@link TfLowerer} emits this kernel instead of the
 * {@code AssignVariableOp}s of the {@link #variables()} it names, when fused optimizers are on
 * ({@link #enabled()}). Whoever builds one states that the kernel computes exactly the IR's update.
 *
 * @param tfOp the TF op type, spelled as TF does ({@code ResourceApplyAdam})
 * @param operands the op's inputs in TF's order: {@link Variable}s for its resource inputs, scalars and
 *     the gradient as expressions over IR values of the train graph and constants
 * @param attrs the op's attributes besides {@code T}, which is the parameter's dtype (e.g.
 *     {@code use_nesterov})
 */
public record InPlaceUpdate(String tfOp, List<Operand> operands, Map<String, Object> attrs) {
  /** System property turning the substitution off: {@code -Dkiln.tf.fusedOptimizers=false}. */
  public static final String PROPERTY = "kiln.tf.fusedOptimizers";

  public InPlaceUpdate {
    operands = List.copyOf(operands);
    attrs = Map.copyOf(attrs);
    if (operands.stream().noneMatch(o -> o instanceof Variable)) throw new KilnException("in-place update " + tfOp + " names no variable");
  }

  /** Whether TF lowerings use fused kernels (on unless the system property {@value #PROPERTY} is {@code false}). */
  public static boolean enabled() { return !"false".equalsIgnoreCase(System.getProperty(PROPERTY)); }

  /** The IR values (parameters of the train graph) whose variables the kernel updates: the parameter, then its slots. */
  public List<Value> variables() {
    return operands.stream().filter(o -> o instanceof Variable).map(o -> ((Variable) o).parameter()).toList();
  }

  /** This update with every IR value replaced by {@code f}'s counterpart (e.g. in a graph with composites expanded). */
  public InPlaceUpdate map(UnaryOperator<Value> f) {
    return new InPlaceUpdate(tfOp, operands.stream().map(o -> map(o, f)).toList(), attrs);
  }

  private static Operand map(Operand o, UnaryOperator<Value> f) {
    if (o instanceof Variable v) return new Variable(f.apply(v.parameter()));
    if (o instanceof Tensor t) return new Tensor(f.apply(t.value()));
    if (o instanceof Pow p) return new Pow(map(p.base(), f), map(p.exponent(), f));
    if (o instanceof Mul m) return new Mul(map(m.a(), f), map(m.b(), f));
    if (o instanceof Sub s) return new Sub(map(s.a(), f), map(s.b(), f));
    if (o instanceof Sqrt s) return new Sqrt(map(s.x(), f));
    return o;
  }

  /** An input of the fused kernel. */
  public sealed interface Operand permits Variable, Tensor, Constant, Pow, Mul, Sub, Sqrt {}

  /** A resource input: the variable of the train graph's parameter {@code parameter} (its IR value). */
  public record Variable(Value parameter) implements Operand {}

  /** An IR value of the train graph (e.g. the gradient, the learning rate), cast to the kernel's dtype. */
  public record Tensor(Value value) implements Operand {}

  /** A scalar constant in the kernel's dtype. */
  public record Constant(double value) implements Operand {}

  /** base ^ exponent (TF {@code Pow}). */
  public record Pow(Operand base, Operand exponent) implements Operand {}

  /** a * b (TF {@code Mul}). */
  public record Mul(Operand a, Operand b) implements Operand {}

  /** a - b (TF {@code Sub}). */
  public record Sub(Operand a, Operand b) implements Operand {}

  /** sqrt(x) (TF {@code Sqrt}). */
  public record Sqrt(Operand x) implements Operand {}
}
