package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A stacked GRU as PyTorch's {@code nn.GRU} ({@code linear_before_reset}; gate order r,z,n in its weights); options,
 * defaults and layouts in {@link RecurrentLayer}. Example: {@code x.apply("gru", Gru.of(64).sequenceFirst())}.
 */
public final class Gru extends RecurrentLayer<Gru> {
  private Gru(Options o) { super("Gru", new int[] {1, 0, 2}, o); }

  /** A GRU with {@code hidden} units: one layer, forward, batch-first, every step's output. */
  public static Gru of(long hidden) { return new Gru(defaults("Gru", hidden)); }

  @Override Gru with(Options options) { return new Gru(options); }

  /** The stack on {@code x} from initial state {@code h0} ({@code [layers*dirs, batch, hidden]}; null: zeros). */
  public <T> Tensor<T> apply(String name, Tensor<T> x, @Nullable Tensor<T> h0) { return stack(name, x, h0, null); }
}
