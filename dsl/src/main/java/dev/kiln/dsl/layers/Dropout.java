package dev.kiln.dsl.layers;

import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;

/**
 * Dropout in training form: elements (or, {@link #spatial()}, whole channels of axis 1) zeroed with probability
 * {@code rate} and the rest scaled by 1 / (1 - rate); the identity in the eval form. The mask is a pure function of the
 * model seed, the layer's position among the model's dropout layers and {@code train.step}. Example:
 * {@code x.apply(Dropout.of(0.1))}, {@code x.apply(Dropout.of(0.2).spatial())} (PyTorch's {@code Dropout2d}).
 */
public final class Dropout implements Transform {
  /** The options: the drop probability; whether whole channels drop. */
  public record Options(double rate, boolean spatial) {
    /** Checks the options. */
    public Options {
      Check.option(rate >= 0 && rate < 1, "Dropout", "rate must be in [0, 1), got " + rate);
    }
  }

  private final Options o;

  private Dropout(Options o) { this.o = o; }

  /** Element dropout with probability {@code rate}. */
  public static Dropout of(double rate) { return new Dropout(new Options(rate, false)); }

  /** The options. */
  public Options options() { return o; }

  /** Drops whole channels (axis 1) of each sample instead of single elements. */
  public Dropout spatial() { return new Dropout(new Options(o.rate, true)); }

  @Override
  public <T> Tensor<T> apply(Tensor<T> x) {
    ModelBuilder m = x.builder();
    GraphBuilder g = m.graph();
    long index = g.nodes().stream().filter(n -> n.opName().equals("Dropout")).count();
    // NOTE: each dropout layer gets its own key, so two layers never share masks; fixed by seed and position.
    long seed = (m.seed() * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L) >>> 1;
    Value step = TrainingForm.step(g);
    return m.tensor(Ops.dropout(g, x.value(), step, o.rate, seed, o.spatial, true));
  }

  @Override public boolean equals(Object other) { return other instanceof Dropout a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("Dropout", o); }
}
