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

  /** this - other, broadcasting. */
  public Tensor<T> sub(Tensor<T> other) { return op("Sub", Attrs.EMPTY, other); }

  /** this - c. */
  public Tensor<T> sub(double c) { return sub(scalar(c)); }

  /** this * other, broadcasting. */
  public Tensor<T> mul(Tensor<T> other) { return op("Mul", Attrs.EMPTY, other); }

  /** this * c. */
  public Tensor<T> mul(double c) { return mul(scalar(c)); }

  /** this / other, broadcasting; integer division truncates toward zero. */
  public Tensor<T> div(Tensor<T> other) { return op("Div", Attrs.EMPTY, other); }

  /** this / c. */
  public Tensor<T> div(double c) { return div(scalar(c)); }

  /** this raised to the power other, broadcasting. */
  public Tensor<T> pow(Tensor<T> other) { return op("Pow", Attrs.EMPTY, other); }

  /** this raised to the power c. */
  public Tensor<T> pow(double c) { return pow(scalar(c)); }

  /** -this. */
  public Tensor<T> neg() { return op("Neg", Attrs.EMPTY); }

  /** |this|. */
  public Tensor<T> abs() { return op("Abs", Attrs.EMPTY); }

  /** e^this (floats). */
  public Tensor<T> exp() { return op("Exp", Attrs.EMPTY); }

  /** Natural logarithm (floats). */
  public Tensor<T> log() { return op("Log", Attrs.EMPTY); }

  /** Square root (floats). */
  public Tensor<T> sqrt() { return op("Sqrt", Attrs.EMPTY); }

  /** Matrix product (NumPy matmul semantics). */
  public Tensor<T> matmul(Tensor<T> other) { return op("MatMul", Attrs.EMPTY, other); }

  // ---- activations --------------------------------------------------------------------------

  /** max(x, 0). */
  public Tensor<T> relu() { return op("Relu", Attrs.EMPTY); }

  /** x for x >= 0, 0.01 * x otherwise. */
  public Tensor<T> leakyRelu() { return op("LeakyRelu", Attrs.EMPTY); }

  /** x for x >= 0, alpha * x otherwise. */
  public Tensor<T> leakyRelu(double alpha) { return op("LeakyRelu", Attrs.of("alpha", alpha)); }

  /** 1 / (1 + e^-x). */
  public Tensor<T> sigmoid() { return op("Sigmoid", Attrs.EMPTY); }

  /** Hyperbolic tangent. */
  public Tensor<T> tanh() { return op("Tanh", Attrs.EMPTY); }

  /** Softmax along the last axis. */
  public Tensor<T> softmax() { return softmax(-1); }

  /** Softmax along {@code axis} (negative counts from the end). */
  public Tensor<T> softmax(int axis) { return op("Softmax", Attrs.of("axis", (long) axis)); }

  /** Log-softmax along the last axis. */
  public Tensor<T> logSoftmax() { return logSoftmax(-1); }

  /** Log-softmax along {@code axis} (negative counts from the end). */
  public Tensor<T> logSoftmax(int axis) { return op("LogSoftmax", Attrs.of("axis", (long) axis)); }

  // ---- reductions (no axes = all axes; reduced axes are kept as size 1 unless keepDims is false) ----

  /** Sum over {@code axes} (all when none), keeping them as size 1. */
  public Tensor<T> sum(int... axes) { return sum(true, axes); }

  /** Sum over {@code axes} (all when none). */
  public Tensor<T> sum(boolean keepDims, int... axes) { return reduce("ReduceSum", keepDims, axes); }

  /** Mean over {@code axes} (all when none), keeping them as size 1. */
  public Tensor<T> mean(int... axes) { return mean(true, axes); }

  /** Mean over {@code axes} (all when none). */
  public Tensor<T> mean(boolean keepDims, int... axes) { return reduce("ReduceMean", keepDims, axes); }

  /** Maximum over {@code axes} (all when none), keeping them as size 1. */
  public Tensor<T> max(int... axes) { return max(true, axes); }

  /** Maximum over {@code axes} (all when none). */
  public Tensor<T> max(boolean keepDims, int... axes) { return reduce("ReduceMax", keepDims, axes); }

  private Tensor<T> reduce(String op, boolean keepDims, int[] axes) {
    return op(op, Attrs.of("axes", axes, "keepdims", keepDims));
  }

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
