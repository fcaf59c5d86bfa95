package dev.kiln.spec.op;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

/** Base for one-input elementwise ops whose output type equals the input type. */
public abstract class Elementwise extends Op {
  @Override public Signature signature() { return Signature.inputs("x"); }

  @Override public boolean pointwise() { return true; }

  /** Whether integer inputs are allowed (Relu, Abs, Neg) or only floats (Sigmoid, Exp). */
  protected boolean floatOnly() { return true; }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    if (floatOnly()) TypeRules.requireFloat("input x", in.get(0));
    else TypeRules.requireNumeric("input x", in.get(0));
    return List.of(in.get(0));
  }
}
