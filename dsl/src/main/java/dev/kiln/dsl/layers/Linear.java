package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import java.util.Objects;

/**
 * A dense layer, {@code x @ weight + bias} over the last axis of x: {@code name.weight} [in, out] (Glorot uniform by
 * default), {@code name.bias} [out] (zeros). Example: {@code x.apply("fc", Linear.of(10).bias(false))}.
 */
public final class Linear implements Layer {
  /** The default weight initializer (one instance, so equal options compare equal). */
  public static final Initializer DEFAULT_WEIGHT_INIT = Initializers.glorotUniform();
  /** The default bias initializer. */
  public static final Initializer DEFAULT_BIAS_INIT = Initializers.zeros();

  /** The options: output features, whether there is a bias, the two initializers. */
  public record Options(long out, boolean bias, Initializer weightInit, Initializer biasInit) {
    /** Checks the options. */
    public Options {
      Check.option(out >= 1, "Linear", "out must be >= 1, got " + out);
      Objects.requireNonNull(weightInit, "weightInit");
      Objects.requireNonNull(biasInit, "biasInit");
    }
  }

  private final Options o;

  private Linear(Options o) { this.o = o; }

  /** A dense layer with {@code out} output features, a bias, Glorot-uniform weight and zero bias. */
  public static Linear of(long out) { return new Linear(new Options(out, true, DEFAULT_WEIGHT_INIT, DEFAULT_BIAS_INIT)); }

  /** The options. */
  public Options options() { return o; }

  /** With or without the bias parameter. */
  public Linear bias(boolean on) { return new Linear(new Options(o.out, on, o.weightInit, o.biasInit)); }

  /** Without the bias parameter. */
  public Linear noBias() { return bias(false); }

  /** The weight's initializer. */
  public Linear weightInit(Initializer init) { return new Linear(new Options(o.out, o.bias, init, o.biasInit)); }

  /** The bias's initializer. */
  public Linear biasInit(Initializer init) { return new Linear(new Options(o.out, o.bias, o.weightInit, init)); }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) {
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      if (x.rank() < 1 || !x.dim(-1).isStatic()) {
        throw Check.input(x, "MatMul", "linear '" + name + "' needs a static last axis on its input, got " + x.type());
      }
      long in = x.size(-1);
      DataType<T> dt = x.dataType();
      Tensor<T> w = m.parameter("weight", dt, Shape.of(in, o.out), o.weightInit, in, o.out);
      Tensor<T> y = x.matmul(w);
      if (o.bias) y = y.add(m.parameter("bias", dt, Shape.of(o.out), o.biasInit, in, o.out));
      return y;
    });
  }

  @Override public boolean equals(Object other) { return other instanceof Linear l && l.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("Linear", o); }
}
