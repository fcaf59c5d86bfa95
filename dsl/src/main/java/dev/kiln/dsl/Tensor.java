package dev.kiln.dsl;

import dev.kiln.dsl.types.Bool;
import dev.kiln.dsl.types.F32;
import dev.kiln.dsl.types.I64;
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
 * <p>Element-wise arithmetic and activations are inherited from {@link TensorMath}.
 *
 * @param <T> phantom dtype, e.g. {@link dev.kiln.dsl.types.F32}
 */
public final class Tensor<T> extends TensorMath<T> {
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

  @Override <U> Tensor<U> op(String op, Attrs attrs, Tensor<?>... others) {
    Value[] in = new Value[others.length + 1];
    in[0] = value;
    for (int i = 0; i < others.length; i++) in[i + 1] = others[i].value;
    return m.wrap(m.graph().apply1(op, attrs, in));
  }

  @Override Tensor<T> self() { return this; }

  /** A scalar constant of this tensor's dtype. */
  @Override Tensor<T> scalar(double v) { return m.constant(HostTensor.scalar(dtype(), v)); }

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

  /** 2-D convolution layer with {@code out} channels, a square {@code kernel}, stride 1, VALID padding. */
  public Tensor<T> conv2d(String name, int out, int kernel) { return m.conv2d(name, this, Conv.out(out).kernel(kernel)); }

  /** 2-D convolution layer with the given options. */
  public Tensor<T> conv2d(String name, Conv options) { return m.conv2d(name, this, options); }

  /** 1-D convolution layer with the given options. */
  public Tensor<T> conv1d(String name, Conv options) { return m.conv1d(name, this, options); }

  /**
   * Batch norm over axis 1 (x: N, C, ...), training form: normalises by the batch statistics and records
   * the running-statistic updates (momentum 0.1); the eval form uses {@code name.running_mean/var}.
   * Parameters {@code name.weight}, {@code name.bias}; state {@code name.running_mean}, {@code name.running_var}.
   */
  public Tensor<T> batchNorm(String name) { return NormLayers.batchNorm(m, name, this, NormLayers.EPSILON, NormLayers.MOMENTUM); }

  /** Batch norm with a chosen epsilon and momentum (PyTorch's meaning: running = (1 - m) running + m batch). */
  public Tensor<T> batchNorm(String name, double epsilon, double momentum) {
    return NormLayers.batchNorm(m, name, this, epsilon, momentum);
  }

  /** Layer norm over the trailing {@code axes} (none: the last), epsilon 1e-5, weight and bias shaped like them. */
  public Tensor<T> layerNorm(String name, int... axes) { return NormLayers.layerNorm(m, name, this, axes); }

  /** Group norm: the channels (axis 1) in {@code groups} groups, each normalised per sample; per-channel affine. */
  public Tensor<T> groupNorm(String name, long groups) { return NormLayers.groupNorm(m, name, this, groups); }

  /** Instance norm: each channel of each sample normalised over its spatial axes; per-channel affine (group norm with C groups). */
  public Tensor<T> instanceNorm(String name) { return NormLayers.groupNorm(m, name, this, size(1)); }

  /** Dropout of elements with probability {@code rate} in training (scaled by 1/(1-rate)); identity in eval form. */
  public Tensor<T> dropout(double rate) { return NormLayers.dropout(this, rate, false); }

  /** Dropout of whole channels (axis 1) of each sample with probability {@code rate}; identity in eval form. */
  public Tensor<T> spatialDropout(double rate) { return NormLayers.dropout(this, rate, true); }

  /** 3-D convolution layer with the given options. */
  public Tensor<T> conv3d(String name, Conv options) { return m.conv3d(name, this, options); }

  /** 2-D transposed convolution layer; see {@link ModelBuilder#convTranspose2d}. */
  public Tensor<T> convTranspose2d(String name, Conv options) { return m.convTranspose2d(name, this, options); }

  /** 1-D transposed convolution layer; see {@link ModelBuilder#convTranspose1d}. */
  public Tensor<T> convTranspose1d(String name, Conv options) { return m.convTranspose1d(name, this, options); }

  /** Depthwise then pointwise 2-D convolution; see {@link ModelBuilder#separableConv2d}. */
  public Tensor<T> separableConv2d(String name, Conv options) { return m.separableConv2d(name, this, options); }

  // ---- pooling ------------------------------------------------------------------------------

  /** Max pooling over [N, C, H, W] with a k x k window and stride k. */
  public Tensor<T> maxPool2d(int k) { return maxPool2d(Pool.kernel(k)); }

  /** Max pooling over [N, C, H, W]. */
  public Tensor<T> maxPool2d(Pool p) { return WindowLayers.pool(this, "MaxPool", p, 2); }

  /** Average pooling over [N, C, H, W] with a k x k window and stride k. */
  public Tensor<T> avgPool2d(int k) { return avgPool2d(Pool.kernel(k)); }

  /** Average pooling over [N, C, H, W]. */
  public Tensor<T> avgPool2d(Pool p) { return WindowLayers.pool(this, "AveragePool", p, 2); }

  /** Max pooling over [N, C, L]. */
  public Tensor<T> maxPool1d(Pool p) { return WindowLayers.pool(this, "MaxPool", p, 1); }

  /** Max pooling over [N, C, D, H, W]. */
  public Tensor<T> maxPool3d(Pool p) { return WindowLayers.pool(this, "MaxPool", p, 3); }

  /** Average pooling over [N, C, L]. */
  public Tensor<T> avgPool1d(Pool p) { return WindowLayers.pool(this, "AveragePool", p, 1); }

  /** Average pooling over [N, C, D, H, W]. */
  public Tensor<T> avgPool3d(Pool p) { return WindowLayers.pool(this, "AveragePool", p, 3); }

  /**
   * Adaptive average pooling of [N, C, H, W] (static H, W) to [N, C, outH, outW], as PyTorch's
   * AdaptiveAvgPool2d: output cell i of an axis of size n averages input rows floor(i * n / out) to
   * ceil((i + 1) * n / out) - 1.
   */
  public Tensor<T> adaptiveAvgPool2d(int outH, int outW) { return MoreLayers.adaptiveAvgPool2d(this, outH, outW); }

  /** Mean over all spatial axes, kept as size 1: [N, C, 1, 1]. */
  public Tensor<T> globalAvgPool() { return op("GlobalAveragePool", Attrs.EMPTY); }

  /** Max over all spatial axes, kept as size 1: [N, C, 1, 1]. */
  public Tensor<T> globalMaxPool() { return op("GlobalMaxPool", Attrs.EMPTY); }

  // ---- shape --------------------------------------------------------------------------------

  /**
   * Same elements, new shape. Dims are numbers (-1 is inferred, 0 copies this tensor's dim at that
   * position), {@link Dim}s or symbol names: a symbol that is this tensor's dim at the same position is
   * copied; another symbol stands for the one inferred (-1) dim and is checked against the result.
   */
  public Tensor<T> reshape(Object... dims) {
    long[] spec = new long[dims.length];
    Dim[] wanted = new Dim[dims.length];
    boolean inferred = false;
    for (Object o : dims) if (o instanceof Number n && n.longValue() == -1) inferred = true;
    for (int i = 0; i < dims.length; i++) {
      Object o = dims[i] instanceof String s ? Dim.symbolic(s) : dims[i];
      if (o instanceof Number n) {
        spec[i] = n.longValue();
      } else if (o instanceof Dim d && d.isStatic()) {
        spec[i] = d.size();
      } else if (o instanceof Dim d && i < rank() && d.equals(dim(i)) && !d.isUnknown()) {
        spec[i] = 0;
      } else if (o instanceof Dim d && !inferred) {
        spec[i] = -1;
        inferred = true;
        wanted[i] = d;
      } else {
        throw new dev.kiln.spec.ShapeException("reshape of " + type() + ": dim " + i + " (" + o + ") must be a number, a"
            + " Dim, or a symbol; only one may be inferred");
      }
    }
    Tensor<T> y = op("Reshape", Attrs.of("shape", spec));
    for (int i = 0; i < wanted.length; i++) if (wanted[i] != null) WindowLayers.checkDim(m, y, i, wanted[i]);
    return y;
  }

  /** Permutes axes: output axis i is input axis {@code perm[i]}; no arguments reverses the axes. */
  public Tensor<T> transpose(int... perm) { return op("Transpose", Attrs.of("perm", perm)); }

  /** [N, everything else]: keeps axis 0. */
  public Tensor<T> flatten() { return flatten(1); }

  /** [prod(dims before axis), prod(dims from axis)]. */
  public Tensor<T> flatten(int axis) { return op("Flatten", Attrs.of("axis", axis)); }

  /** Elements {@code start} (inclusive) to {@code end} (exclusive) of {@code axis}; clamped, negatives count from the end. */
  public Tensor<T> slice(int axis, long start, long end) { return slice(axis, start, end, 1); }

  /** Every {@code step}-th element from {@code start} towards {@code end} along {@code axis} (negative steps go backwards). */
  public Tensor<T> slice(int axis, long start, long end, long step) {
    return op("Slice", Attrs.of("starts", new long[] {start}, "ends", new long[] {end}, "axes", new long[] {axis},
        "steps", new long[] {step}));
  }

  /** Removes the given size-1 axes (all static size-1 axes when none are given). */
  public Tensor<T> squeeze(int... axes) { return op("Squeeze", Attrs.of("axes", axes)); }

  /** Inserts size-1 axes at the given output positions. */
  public Tensor<T> unsqueeze(int... axes) { return op("Unsqueeze", Attrs.of("axes", axes)); }

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
  public Tensor<Bool> greater(Tensor<T> other) { return op("Greater", Attrs.EMPTY, other); }

  /** this &gt; c elementwise. */
  public Tensor<Bool> greater(double c) { return greater(scalar(c)); }

  /** this &lt; other elementwise, broadcasting; a BOOL tensor (no gradient). */
  public Tensor<Bool> less(Tensor<T> other) { return op("Less", Attrs.EMPTY, other); }

  /** this &lt; c elementwise. */
  public Tensor<Bool> less(double c) { return less(scalar(c)); }

  /** this == other elementwise, broadcasting; a BOOL tensor (no gradient). */
  public Tensor<Bool> equal(Tensor<T> other) { return op("Equal", Attrs.EMPTY, other); }

  /** this == c elementwise. */
  public Tensor<Bool> equal(double c) { return equal(scalar(c)); }

  /** max(this, other) elementwise, broadcasting; on ties the gradient is split evenly. */
  public Tensor<T> maximum(Tensor<T> other) { return op("Maximum", Attrs.EMPTY, other); }

  /** max(this, c) elementwise. */
  public Tensor<T> maximum(double c) { return maximum(scalar(c)); }

  /** min(this, other) elementwise, broadcasting; on ties the gradient is split evenly. */
  public Tensor<T> minimum(Tensor<T> other) { return op("Minimum", Attrs.EMPTY, other); }

  /** min(this, c) elementwise. */
  public Tensor<T> minimum(double c) { return minimum(scalar(c)); }

  /** This tensor clamped to [min, max]; an infinite bound leaves that side open. */
  public Tensor<T> clip(double min, double max) { return op("Clip", Attrs.of("min", min, "max", max)); }

  /** The index of the largest element along {@code axis} (the first on ties), the axis dropped. */
  public Tensor<I64> argMax(int axis) { return argMax(axis, false); }

  /** The index of the largest element along {@code axis}, keeping it as size 1 when {@code keepDims}. */
  public Tensor<I64> argMax(int axis, boolean keepDims) {
    return op("ArgMax", Attrs.of("axis", (long) axis, "keepdims", keepDims));
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
    return op("OneHot", Attrs.of("depth", (long) depth, "dtype", dtype.dtype()));
  }

  /**
   * Slices of this tensor along {@code axis} picked by integer {@code indices} (negative ones count from the
   * end): shape this[:axis] + indices.shape + this[axis+1:]. Differentiable in this tensor, not in the indices.
   */
  public Tensor<T> gather(Tensor<?> indices, int axis) { return op("Gather", Attrs.of("axis", (long) axis), indices); }

  // ---- misc ---------------------------------------------------------------------------------

  /** This tensor converted to another dtype. */
  public <U> Tensor<U> cast(DataType<U> to) { return op("Cast", Attrs.of("to", to.dtype())); }

  /** Marks this tensor as a model output named {@code outputName}. */
  public Tensor<T> output(String outputName) { return m.output(outputName, this); }

  @Override public String toString() { return value.toString(); }

  /** Helper for subclasses of the DSL: list of values. */
  static List<Value> values(List<? extends Tensor<?>> ts) { return ts.stream().map(t -> t.value()).toList(); }
}
