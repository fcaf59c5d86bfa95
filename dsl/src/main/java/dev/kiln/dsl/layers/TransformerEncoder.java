package dev.kiln.dsl.layers;

import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.Bool;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stack of encoder layers named {@code name.layers.0}, {@code name.layers.1}, ..., as PyTorch's
 * {@code nn.TransformerEncoder} (no final norm). Example:
 * {@code x.apply("encoder", TransformerEncoder.of(2, TransformerEncoderLayer.of(4).feedForward(128)))}.
 */
public final class TransformerEncoder implements Layer {
  /** The options: how many layers, and the (identical) options of each. */
  public record Options(int layers, TransformerEncoderLayer layer) {
    /** Checks the options. */
    public Options {
      Check.option(layers >= 1, "TransformerEncoder", "layers must be >= 1, got " + layers);
      Objects.requireNonNull(layer, "layer");
    }
  }

  private final Options o;

  private TransformerEncoder(Options o) { this.o = o; }

  /** {@code layers} encoder layers configured as {@code layer}. */
  public static TransformerEncoder of(int layers, TransformerEncoderLayer layer) { return new TransformerEncoder(new Options(layers, layer)); }

  /** The options. */
  public Options options() { return o; }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) { return apply(name, x, null); }

  /** The stack on x [N, L, E] with {@code keyPaddingMask} (nullable) bool [N, L], true at padded positions. */
  public <T> Tensor<T> apply(String name, Tensor<T> x, @Nullable Tensor<Bool> keyPaddingMask) {
    ModelBuilder m = x.builder();
    return m.block(name, b -> m.block("layers", bl -> {
      Tensor<T> h = x;
      for (int i = 0; i < o.layers; i++) h = o.layer.apply(Integer.toString(i), h, keyPaddingMask);
      return h;
    }));
  }

  @Override public boolean equals(Object other) { return other instanceof TransformerEncoder a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("TransformerEncoder", o); }
}
