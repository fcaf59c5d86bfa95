package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import java.util.Objects;

/**
 * GraphSAGE with the mean aggregator (Hamilton et al., as PyTorch Geometric's {@code SAGEConv}): node i gets
 * {@code mean over edges j->i of x[j] @ lin_l.weight + lin_l.bias + x[i] @ lin_r.weight} (a node without incoming
 * edges aggregates 0). Parameters {@code name.lin_l.weight} [in, out], {@code name.lin_l.bias} [out] and {@code
 * name.lin_r.weight} [in, out], PyG's names. Example: {@code SageConv.of(16).apply("sage1", x, edges)}.
 */
public final class SageConv {
  /** The options: output features and the weights' initializer (biases start at zero). */
  public record Options(long out, Initializer weightInit) {
    /** Checks the options. */
    public Options {
      Check.option(out >= 1, "SageConv", "out must be >= 1, got " + out);
      Objects.requireNonNull(weightInit, "weightInit");
    }
  }

  private final Options o;

  private SageConv(Options o) { this.o = o; }

  /** A GraphSAGE layer with {@code out} output features per node (Glorot-uniform weights). */
  public static SageConv of(long out) { return new SageConv(new Options(out, Initializers.glorotUniform())); }

  /** The options. */
  public Options options() { return o; }

  /** The weights' initializer. */
  public SageConv weightInit(Initializer init) { return new SageConv(new Options(o.out, init)); }

  /** Applies the layer to node features {@code x} [nodes, in] over {@code edgeIndex} [2, edges]; gives [nodes, out]. */
  public <T> Tensor<T> apply(String name, Tensor<T> x, Tensor<?> edgeIndex) {
    GraphEdges edges = GraphEdges.of("SageConv '" + name + "'", x, edgeIndex);
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      long in = x.size(1);
      DataType<T> dt = x.dataType();
      Tensor<T> neighbours = edges.mean(edges.atSource(x));
      Tensor<T> wl = m.block("lin_l", c -> m.parameter("weight", dt, Shape.of(in, o.out), o.weightInit, in, o.out));
      Tensor<T> bl = m.block("lin_l", c -> m.parameter("bias", dt, Shape.of(o.out), Initializers.zeros(), in, o.out));
      Tensor<T> wr = m.block("lin_r", c -> m.parameter("weight", dt, Shape.of(in, o.out), o.weightInit, in, o.out));
      return neighbours.matmul(wl).add(bl).add(x.matmul(wr));
    });
  }

  @Override public boolean equals(Object other) { return other instanceof SageConv l && l.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("SageConv", o); }
}
