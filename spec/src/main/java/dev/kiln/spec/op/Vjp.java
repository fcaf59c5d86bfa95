package dev.kiln.spec.op;

import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * A reverse-mode rule: given a forward node and the gradients {@code gys} of its outputs, build the
 * gradients of its inputs as IR ops in {@code b} (an entry is {@code null} for an input that gets no
 * gradient). Broadcast reduction is the autodiff driver's job, not the rule's.
 */
@FunctionalInterface
public interface Vjp {
  /** Marks an op whose inputs get no gradient (integer results, comparisons, shapes). */
  Vjp NOT_DIFFERENTIABLE = (b, node, gys) -> java.util.Collections.nCopies(node.inputs().size(), null);

  List<Value> apply(GraphBuilder b, Node node, List<Value> gys);

  /**
   * Whether the rule takes {@code null} for an output no gradient reaches. By default the autodiff driver
   * passes zeros shaped like the output instead, so rules need not check; a rule made by
   * {@link #allowingMissing} skips that output's terms and the zeros are never built.
   */
  default boolean takesMissing() { return false; }

  /** {@code rule}, declared to take {@code null} for outputs no gradient reaches (see {@link #takesMissing()}). */
  static Vjp allowingMissing(Vjp rule) {
    return new Vjp() {
      @Override public List<Value> apply(GraphBuilder b, Node node, List<Value> gys) { return rule.apply(b, node, gys); }

      @Override public boolean takesMissing() { return true; }
    };
  }

  /** What builds the data input's gradient from its output's, for {@link #firstInputOnly}. */
  @FunctionalInterface
  interface FirstInput {
    Value apply(GraphBuilder b, Node node, Value gy);
  }

  /**
   * A rule for ops whose first input is the data and whose other inputs are operands that get no gradient
   * (run-time shapes, pads, slice bounds).
   */
  static Vjp firstInputOnly(FirstInput rule) {
    return (b, node, gys) -> {
      List<Value> out = new java.util.ArrayList<>(java.util.Collections.nCopies(node.inputs().size(), null));
      out.set(0, rule.apply(b, node, gys.get(0)));
      return out;
    };
  }
}
