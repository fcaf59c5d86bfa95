package dev.kiln.runtime.tf;

import dev.kiln.runtime.train.FusedUpdate;
import dev.kiln.runtime.train.FusedUpdate.Kind;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;

/**
 * The TF back end's rewrite of neutral {@link FusedUpdate} descriptors into TF's fused optimizer kernels
 * ({@code ResourceApplyGradientDescent}, {@code ResourceApplyMomentum}, {@code ResourceApplyAdam}), which update
 * the parameter's and slots' variables in place instead of their {@code AssignVariableOp}s. One kernel per
 * {@link Kind} ({@link #KERNELS}); each states how TF's operands follow from the descriptor's rule.
 */
public final class TfFusedUpdates {
  /** System property turning the rewrite off: {@code -Dkiln.tf.fusedOptimizers=false}. */
  public static final String PROPERTY = "kiln.tf.fusedOptimizers";

  /** A fused kernel: its TF op type, its non-resource operands (after the variables) and attributes besides {@code T}. */
  record Kernel(String tfOp, Function<Scalars, List<Output<?>>> operands, Function<FusedUpdate, Map<String, Object>> attrs) {}

  /** The kernel of each kind of update. */
  static final Map<Kind, Kernel> KERNELS = kernels();

  private static Map<Kind, Kernel> kernels() {
    Map<Kind, Kernel> k = new EnumMap<>(Kind.class);
    // var -= alpha delta: the same product and difference as the IR rule.
    k.put(Kind.SGD, new Kernel("ResourceApplyGradientDescent", s -> List.of(s.tensor(s.u.learningRate()), s.tensor(s.u.gradient())),
        u -> Map.of()));
    // accum = accum mu + g; var -= lr accum, or with use_nesterov var -= g lr + accum mu lr.
    Kernel momentum = new Kernel("ResourceApplyMomentum",
        s -> List.of(s.tensor(s.u.learningRate()), s.tensor(s.u.gradient()), s.constant(s.u.hyper("momentum"))),
        u -> Map.of("use_nesterov", u.kind() == Kind.NESTEROV));
    k.put(Kind.MOMENTUM, momentum);
    k.put(Kind.NESTEROV, momentum);
    // TF computes lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); p -= lr_t m / (sqrt(v) + epsilon). NOTE: that is PyTorch's
    // p -= lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + eps) exactly when epsilon = eps sqrt(1 - b2^t) (multiply
    // numerator and denominator by sqrt(1 - b2^t)), so epsilon is computed per step from the step input; TF updates
    // m as m + (g - m)(1 - b1), equal up to rounding.
    k.put(Kind.ADAM, new Kernel("ResourceApplyAdam", s -> {
      double b1 = s.u.hyper("b1");
      double b2 = s.u.hyper("b2");
      Output<?> b2t = s.pow(b2);
      Output<?> epsilon = s.binary("Mul", s.constant(s.u.hyper("eps")), s.unary("Sqrt", s.binary("Sub", s.constant(1), b2t)));
      return List.of(s.pow(b1), b2t, s.tensor(s.u.learningRate()), s.constant(b1), s.constant(b2), epsilon, s.tensor(s.u.gradient()));
    }, u -> Map.of("use_nesterov", false)));
    return k;
  }

  /** Whether TF lowerings use fused kernels (on unless the system property {@value #PROPERTY} is {@code false}). */
  public static boolean enabled() { return !"false".equalsIgnoreCase(System.getProperty(PROPERTY)); }

  private final TfOpBuilder ops;
  private final Graph ir;
  private final Function<Value, Output<?>> handle;
  /** Equal scalar operands (per dtype) are emitted once per lowering. */
  private final Map<List<Object>, Output<?>> scalars = new HashMap<>();

  /** Rewrites in the lowering of {@code ir} through {@code ops}; {@code handle} gives each IR value's TF output. */
  TfFusedUpdates(TfOpBuilder ops, Graph ir, Function<Value, Output<?>> handle) {
    this.ops = ops;
    this.ir = ir;
    this.handle = handle;
  }

  /**
   * The names of the variables {@code updates} write, each assigned by the step ({@code assigned}) and written
   * by no other fused update.
   */
  Set<String> variables(List<FusedUpdate> updates, Collection<String> assigned) {
    Set<String> fused = new LinkedHashSet<>();
    for (FusedUpdate u : updates) {
      for (Value v : u.variables()) {
        String name = parameterName(v);
        if (!assigned.contains(name)) {
          throw new KilnException("fused " + u.kind() + " update of '" + name + "': the step assigns no new value to it");
        }
        if (!fused.add(name)) throw new KilnException("variable '" + name + "' is updated by two fused updates");
      }
    }
    return fused;
  }

  /**
   * The fused kernel of {@code u} on the variables' handles, in the parameter's dtype (attribute {@code T}).
   * NOTE: like an {@code AssignVariableOp} it runs after every read of the step ({@code readOps}); TF's kernels
   * copy a variable's buffer before writing when a read still holds it, so outputs of the same run see old values.
   */
  GraphOperation emit(FusedUpdate u, Map<String, Output<?>> variables, List<GraphOperation> readOps) {
    Kernel k = KERNELS.get(u.kind());
    if (k == null) throw new KilnException("the TensorFlow back end has no fused kernel for " + u.kind() + " updates");
    DType t = u.parameter().type().dtype();
    String name = parameterName(u.parameter());
    List<Output<?>> in = new java.util.ArrayList<>();
    for (Value v : u.variables()) {
      if (v.type().dtype() != t) throw new KilnException("fused " + u.kind() + " update of '" + name + "': variable " + v + " is not " + t);
      in.add(variables.get(parameterName(v)));
    }
    in.addAll(k.operands().apply(new Scalars(u, t, name)));
    Map<String, Object> attrs = new LinkedHashMap<>(k.attrs().apply(u));
    attrs.put("T", t);
    return ops.operation(k.tfOp(), name + "/" + k.tfOp(), in, attrs, null, readOps);
  }

  private String parameterName(Value v) {
    for (Parameter p : ir.parameters()) if (p.value() == v) return p.name();
    throw new KilnException("fused update of '" + v.name() + "': it is not a parameter of graph " + ir.name());
  }

  /** Builds a kernel's scalar and tensor operands in dtype {@code t}, named after the parameter. */
  final class Scalars {
    final FusedUpdate u;
    private final DType t;
    private final String hint;

    Scalars(FusedUpdate u, DType t, String hint) {
      this.u = u;
      this.t = t;
      this.hint = hint;
    }

    private Output<?> once(List<Object> key, Supplier<Output<?>> make) {
      Output<?> done = scalars.get(key);
      if (done == null) {
        done = make.get();
        scalars.put(key, done);
      }
      return done;
    }

    /** An IR value of the train graph (the gradient, the learning rate), cast to the kernel's dtype. */
    Output<?> tensor(Value v) {
      return once(List.of(t, "tensor", v), () -> {
        Output<?> h = handle.apply(v);
        return h.dataType() == TfTypes.dataType(t) ? h : ops.op("Cast", hint + "/cast", List.of(h), Map.of("DstT", t), null).get(0);
      });
    }

    Output<?> constant(double value) {
      return once(List.of(t, "const", value), () -> ops.op("Const", hint + "/const", List.of(),
          Map.of("value", HostTensor.scalar(t, value), "dtype", t), null).get(0));
    }

    /** base ^ t for the update's step t. */
    Output<?> pow(double base) {
      return once(List.of(t, "pow", base, u.step()), () -> binary("Pow", constant(base), tensor(u.step())));
    }

    Output<?> binary(String type, Output<?> a, Output<?> b) {
      return once(List.of(t, type, a, b), () -> ops.op(type, hint + "/" + type, List.of(a, b), Map.of(), null).get(0));
    }

    Output<?> unary(String type, Output<?> x) {
      return once(List.of(t, type, x), () -> ops.op(type, hint + "/" + type, List.of(x), Map.of(), null).get(0));
    }
  }
}
