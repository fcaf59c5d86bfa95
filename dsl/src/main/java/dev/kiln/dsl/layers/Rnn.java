package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A stacked tanh RNN as PyTorch's {@code nn.RNN}; options, defaults and layouts in {@link RecurrentLayer}. Example:
 * {@code x.apply("rnn", Rnn.of(32).finalState())}.
 */
public final class Rnn extends RecurrentLayer<Rnn> {
  private Rnn(Options o) { super("Rnn", new int[] {0}, o); }

  /** A tanh RNN with {@code hidden} units: one layer, forward, batch-first, every step's output. */
  public static Rnn of(long hidden) { return new Rnn(defaults("Rnn", hidden)); }

  @Override Rnn with(Options options) { return new Rnn(options); }

  /** The stack on {@code x} from initial state {@code h0} ({@code [layers*dirs, batch, hidden]}; null: zeros). */
  public <T> Tensor<T> apply(String name, Tensor<T> x, @Nullable Tensor<T> h0) { return stack(name, x, h0, null); }
}
