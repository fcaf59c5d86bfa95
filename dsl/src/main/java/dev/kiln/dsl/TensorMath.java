package dev.kiln.dsl;

import dev.kiln.spec.ir.Attrs;

/**
 * The element-wise arithmetic and activations of a {@link Tensor}, which is the only subclass: each method
 * applies one registry op (or a composition of a few) through the tensor's model builder, at the caller's line.
 *
 * @param <T> phantom dtype, e.g. {@link dev.kiln.dsl.types.F32}
 */
public abstract sealed class TensorMath<T> permits Tensor {
  TensorMath() {}

  /** Applies {@code op} to this tensor and {@code others}; returns its one output. */
  abstract <U> Tensor<U> op(String op, Attrs attrs, Tensor<?>... others);

  /** A scalar constant of this tensor's dtype. */
  abstract Tensor<T> scalar(double v);

  /** This tensor. */
  abstract Tensor<T> self();

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

  /** x for x &gt; 0, e^x - 1 otherwise (ELU with alpha 1). */
  public Tensor<T> elu() { return op("Elu", Attrs.EMPTY); }

  /** x for x &gt; 0, alpha * (e^x - 1) otherwise. */
  public Tensor<T> elu(double alpha) { return op("Elu", Attrs.of("alpha", alpha)); }

  /** SELU with ONNX's (the paper's) constants: gamma * (x if x &gt; 0 else alpha * (e^x - 1)). */
  public Tensor<T> selu() { return op("Selu", Attrs.EMPTY); }

  /** The Gauss error function. */
  public Tensor<T> erf() { return op("Erf", Attrs.EMPTY); }

  /**
   * Exact GELU, x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt 2)) (PyTorch's default), composed of primitives
   * (ONNX has Gelu only from opset 20).
   */
  public Tensor<T> gelu() { return mul(div(Math.sqrt(2)).erf().add(1)).mul(0.5); }

  /**
   * GELU's tanh approximation, 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))) (PyTorch's
   * {@code approximate='tanh'}), composed of primitives.
   */
  public Tensor<T> geluTanh() {
    Tensor<T> inner = add(mul(mul(self())).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return mul(inner.tanh().add(1)).mul(0.5);
  }

  /** SiLU (swish with beta 1): x * sigmoid(x), composed of primitives. */
  public Tensor<T> silu() { return mul(sigmoid()); }

  /** Swish, x * sigmoid(beta * x); beta 1 is {@link #silu()}. */
  public Tensor<T> swish(double beta) { return beta == 1 ? silu() : mul(mul(beta).sigmoid()); }

  /** ln(1 + e^x). */
  public Tensor<T> softplus() { return op("Softplus", Attrs.EMPTY); }

  /** x / (1 + |x|). */
  public Tensor<T> softsign() { return op("Softsign", Attrs.EMPTY); }

  /** max(0, min(1, alpha * x + beta)); see {@link #hardSigmoidOnnx()} and {@link #hardSigmoidTorch()} for the two usual constants. */
  public Tensor<T> hardSigmoid(double alpha, double beta) { return op("HardSigmoid", Attrs.of("alpha", alpha, "beta", beta)); }

  /** Hard sigmoid with ONNX's and Keras's defaults: max(0, min(1, 0.2 x + 0.5)). */
  public Tensor<T> hardSigmoidOnnx() { return hardSigmoid(0.2, 0.5); }

  /** Hard sigmoid as PyTorch defines it: max(0, min(1, x / 6 + 0.5)), i.e. relu6(x + 3) / 6. */
  public Tensor<T> hardSigmoidTorch() { return hardSigmoid(1.0 / 6, 0.5); }

  /** x * hardSigmoidTorch(x) (PyTorch's hardswish; ONNX HardSwish). */
  public Tensor<T> hardSwish() { return op("HardSwish", Attrs.EMPTY); }

  /** x for x &gt;= 0, slope * x otherwise, slope broadcasting to this tensor; see {@link ModelBuilder#prelu} for the layer. */
  public Tensor<T> prelu(Tensor<T> slope) { return op("PRelu", Attrs.EMPTY, slope); }

  /**
   * Maxout over axis 1: its C entries are taken in consecutive groups of {@code pieces} and each group gives
   * its maximum, so [N, C, ...] becomes [N, C / pieces, ...] (a reshape and a ReduceMax).
   */
  public Tensor<T> maxout(int pieces) { return MoreLayers.maxout(self(), pieces); }

  /** Softmax along the last axis. */
  public Tensor<T> softmax() { return softmax(-1); }

  /** Softmax along {@code axis} (negative counts from the end). */
  public Tensor<T> softmax(int axis) { return op("Softmax", Attrs.of("axis", (long) axis)); }

  /** Log-softmax along the last axis. */
  public Tensor<T> logSoftmax() { return logSoftmax(-1); }

  /** Log-softmax along {@code axis} (negative counts from the end). */
  public Tensor<T> logSoftmax(int axis) { return op("LogSoftmax", Attrs.of("axis", (long) axis)); }
}
