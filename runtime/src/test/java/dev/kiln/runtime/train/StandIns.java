package dev.kiln.runtime.train;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * Test-only optimizers and losses with names of their own, so the trainer can be tested before the
 * project's {@code Optimizers} and {@code Losses} are merged.
 */
final class StandIns {
  private StandIns() {}

  static Value constant(GraphBuilder b, double v) { return b.apply1("Constant", Attrs.of("value", HostTensor.scalar(DType.F32, v))); }

  /** p ← p − lr·g. */
  static final class PlainSgd implements Optimizer {
    @Override public String describe() { return "plain_sgd"; }

    @Override public List<Slot> slots(Parameter p) { return List.of(); }

    @Override public Update update(GraphBuilder b, Value param, Value grad, List<Value> slots, Value lr, Value step) {
      return new Update(b.apply1("Sub", Attrs.EMPTY, param, b.apply1("Mul", Attrs.EMPTY, grad, lr)), List.of());
    }
  }

  /** v ← μ·v + g; p ← p − lr·v (one slot, to exercise optimizer state). */
  static final class HeavyBall implements Optimizer {
    private final double mu;

    HeavyBall(double mu) { this.mu = mu; }

    @Override public String describe() { return "heavy_ball(mu=" + mu + ")"; }

    @Override public List<Slot> slots(Parameter p) {
      return List.of(new Slot("velocity", HostTensor.filled(p.value().type().dtype(), p.initial().shape(), 0)));
    }

    @Override public Update update(GraphBuilder b, Value param, Value grad, List<Value> slots, Value lr, Value step) {
      Value v = b.apply1("Add", Attrs.EMPTY, b.apply1("Mul", Attrs.EMPTY, slots.get(0), constant(b, mu)), grad);
      return new Update(b.apply1("Sub", Attrs.EMPTY, param, b.apply1("Mul", Attrs.EMPTY, v, lr)), List.of(v));
    }
  }

  /**
   * Σ(prediction − target)² for one output column ([n, 1]), a [1, 1] value. NOTE: built only from ops
   * that have gradient rules on this branch (Add, Transpose, MatMul; Neg sits on the label side, which
   * is not differentiated): for a column d, dᵀd is the sum of squares.
   */
  static Value sumSquared(GraphBuilder b, Value prediction, Value target) {
    return dot(b, b.apply1("Add", Attrs.EMPTY, prediction, b.apply1("Neg", Attrs.EMPTY, target)));
  }

  /** Σ x² of a matrix with one column, as a [1, 1] value: xᵀx. */
  static Value dot(GraphBuilder b, Value x) {
    return b.apply1("MatMul", Attrs.EMPTY, b.apply1("Transpose", Attrs.of("perm", new long[] {1, 0}), x), x);
  }
}
