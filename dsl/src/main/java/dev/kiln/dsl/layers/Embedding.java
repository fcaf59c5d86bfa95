package dev.kiln.dsl.layers;

import dev.kiln.dsl.DTypes;
import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.Shape;
import java.util.Objects;

/**
 * An embedding table {@code name.weight} [vocab, dim] (PyTorch's {@code nn.Embedding}: N(0, 1) by default) looked up by
 * integer ids (i32 or i64, any shape), giving ids.shape + [dim]. The table's dtype is a type parameter, f32 unless
 * {@link #dtype} says otherwise, so the result is typed: {@code Tensor<F32> e = ids.apply("tok", Embedding.of(30000, 256))}.
 *
 * @param <T> the table's (and the output's) phantom dtype
 */
public final class Embedding<T> {
  /** The default table initializer (one instance, so equal options compare equal). */
  public static final Initializer DEFAULT_INIT = Initializers.normal(0, 1);

  /** The options: vocabulary size, embedding width, the table's dtype and initializer. */
  public record Options<T>(long vocab, long dim, DataType<T> dtype, Initializer init) {
    /** Checks the options. */
    public Options {
      Check.option(vocab >= 1 && dim >= 1, "Embedding", "vocab and dim must be >= 1, got " + vocab + ", " + dim);
      Objects.requireNonNull(dtype, "dtype");
      Objects.requireNonNull(init, "init");
    }
  }

  private final Options<T> o;

  private Embedding(Options<T> o) { this.o = o; }

  /** A table of {@code vocab} f32 rows of width {@code dim}, N(0, 1). */
  public static Embedding<F32> of(long vocab, long dim) { return new Embedding<>(new Options<>(vocab, dim, DTypes.F32, DEFAULT_INIT)); }

  /** The options. */
  public Options<T> options() { return o; }

  /** The same table in another float dtype, e.g. {@code DTypes.F64}. */
  public <U> Embedding<U> dtype(DataType<U> dtype) { return new Embedding<>(new Options<>(o.vocab, o.dim, dtype, o.init)); }

  /** The table's initializer. */
  public Embedding<T> init(Initializer init) { return new Embedding<>(new Options<>(o.vocab, o.dim, o.dtype, init)); }

  /** Builds {@code name.weight} and looks {@code ids} up in it: ids.shape + [dim]. */
  public Tensor<T> apply(String name, Tensor<?> ids) {
    ModelBuilder m = ids.builder();
    return m.block(name, b -> m.parameter("weight", o.dtype, Shape.of(o.vocab, o.dim), o.init, o.vocab, o.dim).gather(ids, 0));
  }

  @Override public boolean equals(Object other) { return other instanceof Embedding<?> a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("Embedding", o); }
}
