package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Arrays;
import java.util.List;

/**
 * Layer norm over trailing axes (PyTorch's {@code nn.LayerNorm}, ONNX's {@code LayerNormalization}): weight
 * {@code name.weight} (ones) and bias {@code name.bias} (zeros) shaped like the normalised axes; no state, the same in
 * training and eval form. Example: {@code x.apply("norm1", LayerNorm.of())} (the last axis), {@code LayerNorm.of(-2, -1)}.
 */
public final class LayerNorm implements Layer {
  /** The options: the normalised axes (empty: the last), epsilon added to the variance. */
  public record Options(List<Integer> axes, double epsilon) {
    /** Checks the options. */
    public Options {
      axes = List.copyOf(axes);
      Check.option(epsilon > 0, "LayerNorm", "epsilon must be > 0, got " + epsilon);
    }
  }

  private final Options o;

  private LayerNorm(Options o) { this.o = o; }

  /** Layer norm over the trailing {@code axes} (negative count from the end; none: the last axis), epsilon 1e-5. */
  public static LayerNorm of(int... axes) {
    return new LayerNorm(new Options(Arrays.stream(axes).boxed().toList(), BatchNorm.EPSILON));
  }

  /** The options. */
  public Options options() { return o; }

  /** The epsilon added to the variance. */
  public LayerNorm epsilon(double e) { return new LayerNorm(new Options(o.axes, e)); }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) {
    int r = x.rank();
    int[] axes = o.axes.stream().mapToInt(Integer::intValue).toArray();
    int[] norm = axes.length == 0 ? new int[] {r - 1} : axes.clone();
    for (int i = 0; i < norm.length; i++) norm[i] = norm[i] < 0 ? norm[i] + r : norm[i];
    Arrays.sort(norm);
    for (int i = 0; i < norm.length; i++) {
      if (norm[i] != r - norm.length + i) {
        throw Check.input(x, "LayerNormalization", "layerNorm '" + name + "' normalises trailing axes (as PyTorch and ONNX),"
            + " got " + Arrays.toString(axes) + " for " + x.type());
      }
    }
    long[] shape = new long[norm.length];
    for (int i = 0; i < norm.length; i++) {
      if (!x.dim(norm[i]).isStatic()) {
        throw Check.input(x, "LayerNormalization", "layerNorm '" + name + "' needs static normalised axes, got " + x.type());
      }
      shape[i] = x.size(norm[i]);
    }
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      DataType<T> dt = x.dataType();
      long n = 1;
      for (long s : shape) n *= s;
      Tensor<T> w = m.parameter("weight", dt, Shape.of(shape), Initializers.ones(), n, n);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(shape), Initializers.zeros(), n, n);
      // The native op (ONNX LayerNormalization-17, its decomposition for older opsets and on TF).
      Value y = Ops.layerNormalization(m.graph(), x.value(), w.value(), bias.value(), (long) norm[0], o.epsilon, 1L, false).get(0);
      return m.tensor(y);
    });
  }

  @Override public boolean equals(Object other) { return other instanceof LayerNorm a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("LayerNorm", o); }
}
