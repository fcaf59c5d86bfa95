package dev.kiln.dsl.init;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * The standard initializers. Bounds and deviations follow Glorot &amp; Bengio (2010), He et al. (2015) and
 * LeCun (1998) as PyTorch's {@code torch.nn.init} states them: uniform in [-a, a] with
 * a = gain * sqrt(6 / (fanIn + fanOut)) (Glorot), sqrt(6 / fanIn) (He, gain sqrt 2 folded in),
 * sqrt(3 / fanIn) (LeCun); normals with std = a / sqrt(3).
 */
public final class Initializers {
  private Initializers() {}

  public static Initializer glorotUniform() { return uniformBy("glorot_uniform", (i, o) -> Math.sqrt(6.0 / (i + o))); }

  public static Initializer glorotNormal() { return normalBy("glorot_normal", (i, o) -> Math.sqrt(2.0 / (i + o))); }

  /** Alias of {@link #glorotUniform()}. */
  public static Initializer xavierUniform() { return glorotUniform(); }

  /** Alias of {@link #glorotNormal()}. */
  public static Initializer xavierNormal() { return glorotNormal(); }

  public static Initializer heUniform() { return uniformBy("he_uniform", (i, o) -> Math.sqrt(6.0 / i)); }

  public static Initializer heNormal() { return normalBy("he_normal", (i, o) -> Math.sqrt(2.0 / i)); }

  /** Alias of {@link #heUniform()}. */
  public static Initializer kaimingUniform() { return heUniform(); }

  /** Alias of {@link #heNormal()}. */
  public static Initializer kaimingNormal() { return heNormal(); }

  public static Initializer lecunUniform() { return uniformBy("lecun_uniform", (i, o) -> Math.sqrt(3.0 / i)); }

  public static Initializer lecunNormal() { return normalBy("lecun_normal", (i, o) -> Math.sqrt(1.0 / i)); }

  public static Initializer zeros() { return constant(0); }

  public static Initializer ones() { return constant(1); }

  public static Initializer constant(double v) {
    return new Initializer() {
      @Override public HostTensor create(TensorType t, long fi, long fo, SplittableRandom r) {
        return HostTensor.filled(t.dtype(), t.shape().sizes(), v);
      }

      @Override public String describe() { return v == 0 ? "zeros" : v == 1 ? "ones" : "constant(" + v + ")"; }
    };
  }

  public static Initializer normal(double mean, double std) {
    return fill("normal(" + mean + ", " + std + ")", r -> () -> mean + std * r.nextGaussian());
  }

  public static Initializer uniform(double low, double high) {
    if (!(low < high)) throw new KilnException("uniform(" + low + ", " + high + "): low must be below high");
    return fill("uniform(" + low + ", " + high + ")", r -> () -> r.nextDouble(low, high));
  }

  /** PyTorch's default bias init for Linear/Conv: uniform in [-1/sqrt(fanIn), 1/sqrt(fanIn)]. */
  public static Initializer fanInUniform() {
    return uniformBy("fan_in_uniform", (i, o) -> 1.0 / Math.sqrt(i));
  }

  private interface Scale {
    double of(long fanIn, long fanOut);
  }

  private static Initializer uniformBy(String name, Scale bound) {
    return new Initializer() {
      @Override public HostTensor create(TensorType t, long fi, long fo, SplittableRandom r) {
        double a = bound.of(Math.max(fi, 1), Math.max(fo, 1));
        return generate(t, () -> r.nextDouble(-a, a));
      }

      @Override public String describe() { return name; }
    };
  }

  private static Initializer normalBy(String name, Scale std) {
    return new Initializer() {
      @Override public HostTensor create(TensorType t, long fi, long fo, SplittableRandom r) {
        double s = std.of(Math.max(fi, 1), Math.max(fo, 1));
        return generate(t, () -> s * r.nextGaussian());
      }

      @Override public String describe() { return name; }
    };
  }

  private static Initializer fill(String name, java.util.function.Function<SplittableRandom, DoubleSupplier> gen) {
    return new Initializer() {
      @Override public HostTensor create(TensorType t, long fi, long fo, SplittableRandom r) {
        return generate(t, gen.apply(r));
      }

      @Override public String describe() { return name; }
    };
  }

  private static HostTensor generate(TensorType t, DoubleSupplier next) {
    if (!t.dtype().isFloating()) throw new KilnException("random initializers need a floating dtype, got " + t);
    if (!t.shape().isStatic()) throw new KilnException("a parameter needs a static shape, got " + t);
    double[] v = new double[Math.toIntExact(t.shape().elementCount())];
    for (int i = 0; i < v.length; i++) v[i] = next.getAsDouble();
    return HostTensor.fromDoubles(t.dtype(), v, t.shape().sizes());
  }
}
