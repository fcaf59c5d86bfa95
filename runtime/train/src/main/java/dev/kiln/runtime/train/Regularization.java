package dev.kiln.runtime.train;

import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * A penalty on parameters added to the loss (Keras convention: no 1/2 factor). For plain SGD,
 * l2(lambda) equals weight decay 2 lambda.
 */
@FunctionalInterface
public interface Regularization {
  /** The scalar penalty over {@code params} (all of one float dtype). */
  Value penalty(GraphBuilder b, List<Value> params);

  /** lambda * sum |p|. */
  static Regularization l1(double lambda) { return (b, ps) -> total(b, ps, lambda, true); }

  /** lambda * sum p^2. */
  static Regularization l2(double lambda) { return (b, ps) -> total(b, ps, lambda, false); }

  private static Value total(GraphBuilder b, List<Value> ps, double lambda, boolean absolute) {
    if (ps.isEmpty()) throw new IllegalArgumentException("a penalty needs at least one parameter");
    Value sum = null;
    for (Value p : ps) {
      Value s = Ir.sum(b, absolute ? Ir.abs(b, p) : Ir.square(b, p), false);
      sum = sum == null ? s : Ir.add(b, sum, s);
    }
    return Ir.scale(b, sum, lambda);
  }
}
