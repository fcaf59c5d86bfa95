package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import java.util.Objects;

/**
 * A graph convolution (Kipf and Welling, as PyTorch Geometric's {@code GCNConv}): with h = x @ weight and
 * d = 1 + in-degree (a self loop on every node), node i gets
 * {@code sum over edges j->i of h[j] / sqrt(d[j] d[i]) + h[i] / d[i] + bias}. Parameters {@code name.weight}
 * [in, out] (Glorot uniform) and {@code name.bias} [out] (zeros). The edge index must not list self loops (the
 * layer adds one per node). Example: {@code GcnConv.of(16).apply("gcn1", x, edges)}.
 */
public final class GcnConv {
  /** The options: output features, whether there is a bias, the two initializers. */
  public record Options(long out, boolean bias, Initializer weightInit, Initializer biasInit) {
    /** Checks the options. */
    public Options {
      Check.option(out >= 1, "GcnConv", "out must be >= 1, got " + out);
      Objects.requireNonNull(weightInit, "weightInit");
      Objects.requireNonNull(biasInit, "biasInit");
    }
  }

  private final Options o;

  private GcnConv(Options o) { this.o = o; }

  /** A graph convolution with {@code out} output features per node, Glorot-uniform weight and a zero bias. */
  public static GcnConv of(long out) { return new GcnConv(new Options(out, true, Initializers.glorotUniform(), Initializers.zeros())); }

  /** The options. */
  public Options options() { return o; }

  /** With or without the bias parameter. */
  public GcnConv bias(boolean on) { return new GcnConv(new Options(o.out, on, o.weightInit, o.biasInit)); }

  /** The weight's initializer. */
  public GcnConv weightInit(Initializer init) { return new GcnConv(new Options(o.out, o.bias, init, o.biasInit)); }

  /**
   * Applies the layer under {@code name} to node features {@code x} [nodes, in] over the edges {@code edgeIndex}
   * [2, edges] (sources, destinations; i64 or i32); gives [nodes, out].
   */
  public <T> Tensor<T> apply(String name, Tensor<T> x, Tensor<?> edgeIndex) {
    GraphEdges edges = GraphEdges.of("GcnConv '" + name + "'", x, edgeIndex);
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      long in = x.size(1);
      DataType<T> dt = x.dataType();
      Tensor<T> h = x.matmul(m.parameter("weight", dt, Shape.of(in, o.out), o.weightInit, in, o.out));
      Tensor<T> deg = edges.inDegree(x).add(1);
      Tensor<T> dinv = deg.pow(-0.5);
      Tensor<T> norm = edges.atSource(dinv).mul(edges.atDestination(dinv)).unsqueeze(1);
      Tensor<T> y = edges.sum(edges.atSource(h).mul(norm)).add(h.div(deg.unsqueeze(1)));
      return o.bias ? y.add(m.parameter("bias", dt, Shape.of(o.out), o.biasInit, in, o.out)) : y;
    });
  }

  @Override public boolean equals(Object other) { return other instanceof GcnConv l && l.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("GcnConv", o); }
}
