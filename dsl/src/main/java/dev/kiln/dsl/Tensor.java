package dev.kiln.dsl;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * A typed handle on an IR value inside a model being built. The dtype lives in the generic
 * parameter (adding a {@code Tensor<I64>} to a {@code Tensor<F32>} does not compile); rank and sizes
 * are checked when each op is applied, at the caller's line.
 *
 * @param <T> phantom dtype, e.g. {@link dev.kiln.dsl.types.F32}
 */
public final class Tensor<T> {
  private final ModelBuilder m;
  private final Value value;

  Tensor(ModelBuilder m, Value value) {
    this.m = m;
    this.value = value;
  }

  /** The underlying IR value. */
  public Value value() { return value; }

  /** The builder this tensor belongs to. */
  public ModelBuilder builder() { return m; }

  public String name() { return value.name(); }

  public TensorType type() { return value.type(); }

  public DType dtype() { return value.type().dtype(); }

  public Shape shape() { return value.type().shape(); }

  public int rank() { return shape().rank(); }

  /** Axis {@code axis} (negative counts from the end). */
  public Dim dim(int axis) { return shape().dim(shape().axis("dim", axis)); }

  /** The static size of axis {@code axis}; throws if it is dynamic. */
  public long size(int axis) { return dim(axis).size(); }

  <U> Tensor<U> op(String op, Attrs attrs, Tensor<?>... others) {
    Value[] in = new Value[others.length + 1];
    in[0] = value;
    for (int i = 0; i < others.length; i++) in[i + 1] = others[i].value;
    return m.wrap(m.graph().apply1(op, attrs, in));
  }

  /** A scalar constant of this tensor's dtype. */
  Tensor<T> scalar(double v) { return m.constant(HostTensor.scalar(dtype(), v)); }

  // ---- arithmetic ---------------------------------------------------------------------------

  /** this + other, broadcasting. */
  public Tensor<T> add(Tensor<T> other) { return op("Add", Attrs.EMPTY, other); }

  /** this + c. */
  public Tensor<T> add(double c) { return add(scalar(c)); }

  /** Matrix product (NumPy matmul semantics). */
  public Tensor<T> matmul(Tensor<T> other) { return op("MatMul", Attrs.EMPTY, other); }

  // ---- activations --------------------------------------------------------------------------

  /** max(x, 0). */
  public Tensor<T> relu() { return op("Relu", Attrs.EMPTY); }

  // ---- layers (parameters are created in the current block) ---------------------------------

  /** A dense layer: {@code this @ weight + bias}, weight [in, out]. */
  public Tensor<T> linear(String name, long out) { return m.linear(name, this, out); }

  // ---- misc ---------------------------------------------------------------------------------

  /** This tensor converted to another dtype. */
  public <U> Tensor<U> cast(DataType<U> to) { return op("Cast", Attrs.of("to", to.dtype())); }

  /** Marks this tensor as a model output named {@code outputName}. */
  public Tensor<T> output(String outputName) { return m.output(outputName, this); }

  @Override public String toString() { return value.toString(); }

  /** Helper for subclasses of the DSL: list of values. */
  static List<Value> values(List<? extends Tensor<?>> ts) { return ts.stream().map(t -> t.value()).toList(); }
}
