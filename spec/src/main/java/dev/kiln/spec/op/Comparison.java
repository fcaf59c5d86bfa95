package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

/**
 * Base for elementwise comparisons (Greater, Less, Equal): two inputs of one dtype, broadcast
 * NumPy-style, giving a BOOL tensor. Comparisons have no gradient.
 */
public abstract class Comparison extends Op {
  @Override public Signature signature() { return Signature.inputs("a", "b"); }

  /** Whether BOOL operands are allowed (Equal) or only numbers (ordering comparisons). */
  protected boolean allowsBool() { return false; }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    if (!allowsBool()) TypeRules.requireNumeric("input a", in.get(0));
    TypeRules.sameDType(in);
    return List.of(new TensorType(DType.BOOL, TypeRules.broadcast(in.get(0).shape(), in.get(1).shape())));
  }

  @Override public TfLowering tf() { return TfLowering.op(name()); }

  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
