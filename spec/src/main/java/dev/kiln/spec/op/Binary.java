package dev.kiln.spec.op;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

/** Base for two-input broadcasting arithmetic ops (Add, Sub, Mul, Div, Pow, Max, Min). */
public abstract class Binary extends Op {
  @Override public boolean pointwise() { return true; }

  @Override public Signature signature() { return Signature.inputs("a", "b"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireNumeric("input a", in.get(0));
    return List.of(new TensorType(TypeRules.sameDType(in), TypeRules.broadcast(in.get(0).shape(), in.get(1).shape())));
  }
}
