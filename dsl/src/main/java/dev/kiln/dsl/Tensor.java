package dev.kiln.dsl;

import dev.kiln.dsl.layers.AdaptiveAvgPool2d;
import dev.kiln.dsl.layers.AvgPool1d;
import dev.kiln.dsl.layers.AvgPool2d;
import dev.kiln.dsl.layers.AvgPool3d;
import dev.kiln.dsl.layers.BatchNorm;
import dev.kiln.dsl.layers.Conv1d;
import dev.kiln.dsl.layers.Conv2d;
import dev.kiln.dsl.layers.Conv3d;
import dev.kiln.dsl.layers.ConvTranspose1d;
import dev.kiln.dsl.layers.ConvTranspose2d;
import dev.kiln.dsl.layers.Dropout;
import dev.kiln.dsl.layers.Embedding;
import dev.kiln.dsl.layers.GroupNorm;
import dev.kiln.dsl.layers.InstanceNorm;
import dev.kiln.dsl.layers.Layer;
import dev.kiln.dsl.layers.LayerNorm;
import dev.kiln.dsl.layers.Linear;
import dev.kiln.dsl.layers.MaxPool1d;
import dev.kiln.dsl.layers.MaxPool2d;
import dev.kiln.dsl.layers.MaxPool3d;
import dev.kiln.dsl.layers.Maxout;
import dev.kiln.dsl.layers.PRelu;
import dev.kiln.dsl.layers.SeparableConv2d;
import dev.kiln.dsl.layers.Transform;
import dev.kiln.dsl.types.Bool;
import dev.kiln.dsl.types.F32;
import dev.kiln.dsl.types.I64;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;

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

  /** The value's unique name in the graph, e.g. {@code fc1.add}. */
  public String name() { return value.name(); }
  /** The dtype and shape. */
  public TensorType type() { return value.type(); }
  /** The dtype. */
  public DType dtype() { return value.type().dtype(); }
  /** The shape (static, symbolic or unknown dims). */
  public Shape shape() { return value.type().shape(); }
  /** The number of axes. */
  public int rank() { return shape().rank(); }

  /** Axis {@code axis} (negative counts from the end). */
  public Dim dim(int axis) { return shape().dim(shape().axis("dim", axis)); }

  /** The static size of axis {@code axis}; throws if it is dynamic. */
  public long size(int axis) { return dim(axis).size(); }

  /** This tensor's dtype as a typed token, e.g. for a parameter of the same dtype. */
  public DataType<T> dataType() { return new DataType<>(dtype()); }

  /** A scalar constant of this tensor's dtype. */
  Tensor<T> scalar(double v) { return m.constant(HostTensor.scalar(dtype(), v)); }

  // ---- arithmetic ---------------------------------------------------------------------------

  /** this + other, broadcasting. */
  public Tensor<T> add(Tensor<T> other) { return m.wrap(Ops.add(m.graph(), value, other.value)); }
  /** this + c. */
  public Tensor<T> add(double c) { return add(scalar(c)); }

  /** this - other, broadcasting. */
  public Tensor<T> sub(Tensor<T> other) { return m.wrap(Ops.sub(m.graph(), value, other.value)); }
  /** this - c. */
  public Tensor<T> sub(double c) { return sub(scalar(c)); }

  /** this * other, broadcasting. */
  public Tensor<T> mul(Tensor<T> other) { return m.wrap(Ops.mul(m.graph(), value, other.value)); }
  /** this * c. */
  public Tensor<T> mul(double c) { return mul(scalar(c)); }

  /** this / other, broadcasting; integer division truncates toward zero. */
  public Tensor<T> div(Tensor<T> other) { return m.wrap(Ops.div(m.graph(), value, other.value)); }
  /** this / c. */
  public Tensor<T> div(double c) { return div(scalar(c)); }

  /** this raised to the power other, broadcasting. */
  public Tensor<T> pow(Tensor<T> other) { return m.wrap(Ops.pow(m.graph(), value, other.value)); }
  /** this raised to the power c. */
  public Tensor<T> pow(double c) { return pow(scalar(c)); }

  /** -this. */
  public Tensor<T> neg() { return m.wrap(Ops.neg(m.graph(), value)); }
  /** |this|. */
  public Tensor<T> abs() { return m.wrap(Ops.abs(m.graph(), value)); }
  /** e^this (floats). */
  public Tensor<T> exp() { return m.wrap(Ops.exp(m.graph(), value)); }
  /** Natural logarithm (floats). */
  public Tensor<T> log() { return m.wrap(Ops.log(m.graph(), value)); }
  /** Square root (floats). */
  public Tensor<T> sqrt() { return m.wrap(Ops.sqrt(m.graph(), value)); }

  /** Matrix product (NumPy matmul semantics). */
  public Tensor<T> matmul(Tensor<T> other) { return m.wrap(Ops.matMul(m.graph(), value, other.value)); }

  // ---- activations --------------------------------------------------------------------------

  /** max(x, 0). */
  public Tensor<T> relu() { return m.wrap(Ops.relu(m.graph(), value)); }
  /** x for x >= 0, 0.01 * x otherwise. */
  public Tensor<T> leakyRelu() { return m.wrap(Ops.leakyRelu(m.graph(), value)); }
  /** x for x >= 0, alpha * x otherwise. */
  public Tensor<T> leakyRelu(double alpha) { return m.wrap(Ops.leakyRelu(m.graph(), value, alpha)); }
  /** 1 / (1 + e^-x). */
  public Tensor<T> sigmoid() { return m.wrap(Ops.sigmoid(m.graph(), value)); }
  /** Hyperbolic tangent. */
  public Tensor<T> tanh() { return m.wrap(Ops.tanh(m.graph(), value)); }

  /** x for x &gt; 0, e^x - 1 otherwise (ELU with alpha 1). */
  public Tensor<T> elu() { return m.wrap(Ops.elu(m.graph(), value)); }
  /** x for x &gt; 0, alpha * (e^x - 1) otherwise. */
  public Tensor<T> elu(double alpha) { return m.wrap(Ops.elu(m.graph(), value, alpha)); }
  /** SELU with ONNX's (the paper's) constants: gamma * (x if x &gt; 0 else alpha * (e^x - 1)). */
  public Tensor<T> selu() { return m.wrap(Ops.selu(m.graph(), value)); }
  /** The Gauss error function. */
  public Tensor<T> erf() { return m.wrap(Ops.erf(m.graph(), value)); }

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
    Tensor<T> inner = add(mul(mul(this)).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return mul(inner.tanh().add(1)).mul(0.5);
  }

  /** SiLU (swish with beta 1): x * sigmoid(x), composed of primitives. */
  public Tensor<T> silu() { return mul(sigmoid()); }
  /** Swish, x * sigmoid(beta * x); beta 1 is {@link #silu()}. */
  public Tensor<T> swish(double beta) { return beta == 1 ? silu() : mul(mul(beta).sigmoid()); }

  /** ln(1 + e^x). */
  public Tensor<T> softplus() { return m.wrap(Ops.softplus(m.graph(), value)); }
  /** x / (1 + |x|). */
  public Tensor<T> softsign() { return m.wrap(Ops.softsign(m.graph(), value)); }

  /** max(0, min(1, alpha * x + beta)); see {@link #hardSigmoidOnnx()} and {@link #hardSigmoidTorch()} for the two usual constants. */
  public Tensor<T> hardSigmoid(double alpha, double beta) { return m.wrap(Ops.hardSigmoid(m.graph(), value, alpha, beta)); }
  /** Hard sigmoid with ONNX's and Keras's defaults: max(0, min(1, 0.2 x + 0.5)). */
  public Tensor<T> hardSigmoidOnnx() { return hardSigmoid(0.2, 0.5); }
  /** Hard sigmoid as PyTorch defines it: max(0, min(1, x / 6 + 0.5)), i.e. relu6(x + 3) / 6. */
  public Tensor<T> hardSigmoidTorch() { return hardSigmoid(1.0 / 6, 0.5); }
  /** x * hardSigmoidTorch(x) (PyTorch's hardswish; ONNX HardSwish). */
  public Tensor<T> hardSwish() { return m.wrap(Ops.hardSwish(m.graph(), value)); }

  /** x for x &gt;= 0, slope * x otherwise, slope broadcasting to this tensor; {@link PRelu} is the layer. */
  public Tensor<T> prelu(Tensor<T> slope) { return m.wrap(Ops.prelu(m.graph(), value, slope.value)); }

  /** Softmax along the last axis. */
  public Tensor<T> softmax() { return softmax(-1); }
  /** Softmax along {@code axis} (negative counts from the end). */
  public Tensor<T> softmax(int axis) { return m.wrap(Ops.softmax(m.graph(), value, (long) axis)); }
  /** Log-softmax along the last axis. */
  public Tensor<T> logSoftmax() { return logSoftmax(-1); }
  /** Log-softmax along {@code axis} (negative counts from the end). */
  public Tensor<T> logSoftmax(int axis) { return m.wrap(Ops.logSoftmax(m.graph(), value, (long) axis)); }

  // ---- reductions (no axes = all axes; reduced axes are kept as size 1 unless keepDims is false) ----

  /** Sum over {@code axes} (all when none), keeping them as size 1. */
  public Tensor<T> sum(int... axes) { return sum(true, axes); }
  /** Sum over {@code axes} (all when none). */
  public Tensor<T> sum(boolean keepDims, int... axes) { return m.wrap(Ops.reduceSum(m.graph(), value, longs(axes), keepDims)); }
  /** Mean over {@code axes} (all when none), keeping them as size 1. */
  public Tensor<T> mean(int... axes) { return mean(true, axes); }
  /** Mean over {@code axes} (all when none). */
  public Tensor<T> mean(boolean keepDims, int... axes) { return m.wrap(Ops.reduceMean(m.graph(), value, longs(axes), keepDims)); }
  /** Maximum over {@code axes} (all when none), keeping them as size 1. */
  public Tensor<T> max(int... axes) { return max(true, axes); }
  /** Maximum over {@code axes} (all when none). */
  public Tensor<T> max(boolean keepDims, int... axes) { return m.wrap(Ops.reduceMax(m.graph(), value, longs(axes), keepDims)); }

  private static long[] longs(int[] values) { return java.util.Arrays.stream(values).asLongStream().toArray(); }

  // ---- layers: apply() takes the layer classes of dev.kiln.dsl.layers; the named methods are shorthands for it ----

  /** This tensor through {@code layer}, its parameters named {@code name.*}: {@code x.apply("c1", Conv2d.of(8, 3))}. */
  public Tensor<T> apply(String name, Layer layer) { return m.apply(name, layer, this); }
  /** This tensor through a layer without parameters: {@code x.apply(MaxPool2d.of(2))}. */
  public Tensor<T> apply(Transform transform) { return m.apply(transform, this); }
  /** These ids looked up in the table {@code name.weight}: {@code ids.apply("tok", Embedding.of(30000, 256))}. */
  public <U> Tensor<U> apply(String name, Embedding<U> embedding) { return m.apply(name, embedding, this); }

  /** {@code apply(name, Linear.of(out))}: a dense layer, {@code this @ weight + bias}, weight [in, out]. */
  public Tensor<T> linear(String name, long out) { return apply(name, Linear.of(out)); }

  /** {@code apply(name, Conv2d.of(out, kernel))}: stride 1, VALID padding. */
  public Tensor<T> conv2d(String name, int out, int kernel) { return apply(name, Conv2d.of(out, kernel)); }
  /** A 2-D convolution layer with the given options; see {@link Conv2d}. */
  public Tensor<T> conv2d(String name, Conv options) { return m.conv2d(name, this, options); }
  /** A 1-D convolution layer with the given options; see {@link Conv1d}. */
  public Tensor<T> conv1d(String name, Conv options) { return m.conv1d(name, this, options); }
  /** A 3-D convolution layer with the given options; see {@link Conv3d}. */
  public Tensor<T> conv3d(String name, Conv options) { return m.conv3d(name, this, options); }
  /** A 2-D transposed convolution layer; see {@link ConvTranspose2d}. */
  public Tensor<T> convTranspose2d(String name, Conv options) { return m.convTranspose2d(name, this, options); }
  /** A 1-D transposed convolution layer; see {@link ConvTranspose1d}. */
  public Tensor<T> convTranspose1d(String name, Conv options) { return m.convTranspose1d(name, this, options); }
  /** Depthwise then pointwise 2-D convolution; see {@link SeparableConv2d}. */
  public Tensor<T> separableConv2d(String name, Conv options) { return m.separableConv2d(name, this, options); }

  /** {@code apply(name, BatchNorm.of())}: batch norm over axis 1 in training form; see {@link BatchNorm}. */
  public Tensor<T> batchNorm(String name) { return apply(name, BatchNorm.of()); }
  /** Batch norm with a chosen epsilon and momentum (PyTorch's meaning: running = (1 - m) running + m batch). */
  public Tensor<T> batchNorm(String name, double epsilon, double momentum) {
    return apply(name, BatchNorm.of().epsilon(epsilon).momentum(momentum));
  }
  /** {@code apply(name, LayerNorm.of(axes))}: layer norm over the trailing {@code axes} (none: the last). */
  public Tensor<T> layerNorm(String name, int... axes) { return apply(name, LayerNorm.of(axes)); }
  /** {@code apply(name, GroupNorm.of(groups))}: the channels (axis 1) in {@code groups} groups. */
  public Tensor<T> groupNorm(String name, long groups) { return apply(name, GroupNorm.of(groups)); }
  /** {@code apply(name, InstanceNorm.of())}: each channel of each sample normalised over its spatial axes. */
  public Tensor<T> instanceNorm(String name) { return apply(name, InstanceNorm.of()); }

  /** {@code apply(Dropout.of(rate))}: elements dropped in training (scaled by 1/(1-rate)); identity in eval form. */
  public Tensor<T> dropout(double rate) { return apply(Dropout.of(rate)); }
  /** {@code apply(Dropout.of(rate).spatial())}: whole channels (axis 1) dropped; identity in eval form. */
  public Tensor<T> spatialDropout(double rate) { return apply(Dropout.of(rate).spatial()); }
  /** {@code apply(Maxout.of(pieces))}: [N, C, ...] to [N, C / pieces, ...], the max of each group of channels. */
  public Tensor<T> maxout(int pieces) { return apply(Maxout.of(pieces)); }

  /** {@code apply(MaxPool2d.of(k))}: a k x k window, stride k. */
  public Tensor<T> maxPool2d(int k) { return apply(MaxPool2d.of(k)); }
  /** Max pooling over [N, C, H, W]; see {@link MaxPool2d}. */
  public Tensor<T> maxPool2d(Pool p) { return apply(p.as(MaxPool2d::of)); }
  /** {@code apply(AvgPool2d.of(k))}: a k x k window, stride k. */
  public Tensor<T> avgPool2d(int k) { return apply(AvgPool2d.of(k)); }
  /** Average pooling over [N, C, H, W]; see {@link AvgPool2d}. */
  public Tensor<T> avgPool2d(Pool p) { return apply(p.as(AvgPool2d::of).countIncludePad(p.countIncludePad())); }
  /** Max pooling over [N, C, L]; see {@link MaxPool1d}. */
  public Tensor<T> maxPool1d(Pool p) { return apply(p.as(MaxPool1d::of)); }
  /** Max pooling over [N, C, D, H, W]; see {@link MaxPool3d}. */
  public Tensor<T> maxPool3d(Pool p) { return apply(p.as(MaxPool3d::of)); }
  /** Average pooling over [N, C, L]; see {@link AvgPool1d}. */
  public Tensor<T> avgPool1d(Pool p) { return apply(p.as(AvgPool1d::of).countIncludePad(p.countIncludePad())); }
  /** Average pooling over [N, C, D, H, W]; see {@link AvgPool3d}. */
  public Tensor<T> avgPool3d(Pool p) { return apply(p.as(AvgPool3d::of).countIncludePad(p.countIncludePad())); }

  /** {@code apply(AdaptiveAvgPool2d.of(outH, outW))}: [N, C, H, W] averaged to [N, C, outH, outW] as PyTorch's. */
  public Tensor<T> adaptiveAvgPool2d(int outH, int outW) { return apply(AdaptiveAvgPool2d.of(outH, outW)); }
  /** Mean over all spatial axes, kept as size 1: [N, C, 1, 1]. */
  public Tensor<T> globalAvgPool() { return m.wrap(Ops.globalAveragePool(m.graph(), value)); }
  /** Max over all spatial axes, kept as size 1: [N, C, 1, 1]. */
  public Tensor<T> globalMaxPool() { return m.wrap(Ops.globalMaxPool(m.graph(), value)); }

  // ---- shape --------------------------------------------------------------------------------

  /**
   * Same elements, new shape. Dims are numbers (-1 is inferred, 0 copies this tensor's dim at that
   * position), {@link Dim}s or symbol names: a symbol that is this tensor's dim at the same position is
   * copied; another symbol stands for the one inferred (-1) dim and is checked against the result.
   */
  public Tensor<T> reshape(Object... dims) { return Reshape.of(this, dims); }

  /** Permutes axes: output axis i is input axis {@code perm[i]}; no arguments reverses the axes. */
  public Tensor<T> transpose(int... perm) { return m.wrap(Ops.transpose(m.graph(), value, longs(perm))); }

  /** [N, everything else]: keeps axis 0. */
  public Tensor<T> flatten() { return flatten(1); }
  /** [prod(dims before axis), prod(dims from axis)]. */
  public Tensor<T> flatten(int axis) { return m.wrap(Ops.flatten(m.graph(), value, axis)); }

  /** Elements {@code start} (inclusive) to {@code end} (exclusive) of {@code axis}; clamped, negatives count from the end. */
  public Tensor<T> slice(int axis, long start, long end) { return slice(axis, start, end, 1); }
  /** Every {@code step}-th element from {@code start} towards {@code end} along {@code axis} (negative steps go backwards). */
  public Tensor<T> slice(int axis, long start, long end, long step) {
    return m.wrap(Ops.slice(m.graph(), value, new long[] {start}, new long[] {end}, new long[] {axis}, new long[] {step}));
  }

  /** Removes the given size-1 axes (all static size-1 axes when none are given). */
  public Tensor<T> squeeze(int... axes) { return m.wrap(Ops.squeeze(m.graph(), value, longs(axes))); }
  /** Inserts size-1 axes at the given output positions. */
  public Tensor<T> unsqueeze(int... axes) { return m.wrap(Ops.unsqueeze(m.graph(), value, longs(axes))); }

  /** This tensor and {@code others} joined along {@code axis}. */
  @SafeVarargs
  public final Tensor<T> concat(int axis, Tensor<T>... others) {
    @SuppressWarnings("unchecked")
    Tensor<T>[] all = new Tensor[others.length + 1];
    all[0] = this;
    System.arraycopy(others, 0, all, 1, others.length);
    return ModelBuilder.concat(axis, all);
  }

  // ---- comparison and selection --------------------------------------------------------------

  /** this &gt; other elementwise, broadcasting; a BOOL tensor (no gradient). */
  public Tensor<Bool> greater(Tensor<T> other) { return m.wrap(Ops.greater(m.graph(), value, other.value)); }
  /** this &gt; c elementwise. */
  public Tensor<Bool> greater(double c) { return greater(scalar(c)); }
  /** this &lt; other elementwise, broadcasting; a BOOL tensor (no gradient). */
  public Tensor<Bool> less(Tensor<T> other) { return m.wrap(Ops.less(m.graph(), value, other.value)); }
  /** this &lt; c elementwise. */
  public Tensor<Bool> less(double c) { return less(scalar(c)); }
  /** this == other elementwise, broadcasting; a BOOL tensor (no gradient). */
  public Tensor<Bool> equal(Tensor<T> other) { return m.wrap(Ops.equal(m.graph(), value, other.value)); }
  /** this == c elementwise. */
  public Tensor<Bool> equal(double c) { return equal(scalar(c)); }

  /** max(this, other) elementwise, broadcasting; on ties the gradient is split evenly. */
  public Tensor<T> maximum(Tensor<T> other) { return m.wrap(Ops.maximum(m.graph(), value, other.value)); }
  /** max(this, c) elementwise. */
  public Tensor<T> maximum(double c) { return maximum(scalar(c)); }
  /** min(this, other) elementwise, broadcasting; on ties the gradient is split evenly. */
  public Tensor<T> minimum(Tensor<T> other) { return m.wrap(Ops.minimum(m.graph(), value, other.value)); }
  /** min(this, c) elementwise. */
  public Tensor<T> minimum(double c) { return minimum(scalar(c)); }
  /** This tensor clamped to [min, max]; an infinite bound leaves that side open. */
  public Tensor<T> clip(double min, double max) { return m.wrap(Ops.clip(m.graph(), value, min, max)); }

  /** The index of the largest element along {@code axis} (the first on ties), the axis dropped. */
  public Tensor<I64> argMax(int axis) { return argMax(axis, false); }
  /** The index of the largest element along {@code axis}, keeping it as size 1 when {@code keepDims}. */
  public Tensor<I64> argMax(int axis, boolean keepDims) {
    return m.wrap(Ops.argMax(m.graph(), value, (long) axis, keepDims));
  }

  /**
   * One-hot f32 encoding of this I32 or I64 tensor of class indices, along a new last axis of size
   * {@code depth}; indices outside [-depth, depth - 1] give all-zero rows, negative ones count from the end.
   */
  public Tensor<F32> oneHot(int depth) { return oneHot(depth, DTypes.F32); }
  /** One-hot encoding in {@code dtype}; see {@link #oneHot(int)}. */
  public <U> Tensor<U> oneHot(int depth, DataType<U> dtype) {
    if (dtype() != DType.I32 && dtype() != DType.I64) {
      throw new dev.kiln.spec.KilnException("oneHot needs an i32 or i64 tensor of indices, got " + type()
          + " (cast it first)");
    }
    return m.wrap(Ops.oneHot(m.graph(), value, (long) depth, dtype.dtype(), -1L));
  }

  /**
   * Slices of this tensor along {@code axis} picked by integer {@code indices} (negative ones count from the
   * end): shape this[:axis] + indices.shape + this[axis+1:]. Differentiable in this tensor, not in the indices.
   */
  public Tensor<T> gather(Tensor<?> indices, int axis) { return m.wrap(Ops.gather(m.graph(), value, indices.value, (long) axis)); }

  // ---- misc ---------------------------------------------------------------------------------

  /** This tensor converted to another dtype. */
  public <U> Tensor<U> cast(DataType<U> to) { return m.wrap(Ops.cast(m.graph(), value, to.dtype())); }
  /** Marks this tensor as a model output named {@code outputName}. */
  public Tensor<T> output(String outputName) { return m.output(outputName, this); }

  @Override public String toString() { return value.toString(); }
}
