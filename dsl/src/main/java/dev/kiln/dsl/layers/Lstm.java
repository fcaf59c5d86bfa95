package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A stacked LSTM as PyTorch's {@code nn.LSTM} (gate order i,f,g,o in its weights; {@code name.weight_ih_l0
 * [4*hidden, in]}, ...); options, defaults and layouts in {@link RecurrentLayer}. Example:
 * {@code x.apply("lstm", Lstm.of(128).layers(2).bidirectional().finalState())}.
 */
public final class Lstm extends RecurrentLayer<Lstm> {
  private Lstm(Options o) { super("Lstm", new int[] {0, 3, 1, 2}, o); }

  /** An LSTM with {@code hidden} units: one layer, forward, batch-first, every step's output. */
  public static Lstm of(long hidden) { return new Lstm(defaults("Lstm", hidden)); }

  @Override Lstm with(Options options) { return new Lstm(options); }

  /** The stack on {@code x} from initial hidden state {@code h0} ({@code [layers*dirs, batch, hidden]}; null: zeros), zero cell state. */
  public <T> Tensor<T> apply(String name, Tensor<T> x, @Nullable Tensor<T> h0) { return stack(name, x, h0, null); }

  /** The stack on {@code x} from initial states {@code h0} and {@code c0} ({@code [layers*dirs, batch, hidden]}; null: zeros; c0 needs h0). */
  public <T> Tensor<T> apply(String name, Tensor<T> x, @Nullable Tensor<T> h0, @Nullable Tensor<T> c0) { return stack(name, x, h0, c0); }
}
