package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import java.util.Objects;

/**
 * Graph attention (Velickovic et al., as PyTorch Geometric's {@code GATConv} with self loops): h = x @ lin.weight
 * split into {@code heads} heads of {@code out} features; edge j->i scores e = LeakyReLU(h[j]·att_src +
 * h[i]·att_dst, 0.2) per head; the scores of node i's incoming edges and of its self loop are soft-maxed (a
 * segment softmax by destination, shifted by the segment max) and weight the sum of h[j]. Heads are concatenated
 * ([nodes, heads * out]) or averaged ({@link #concat(boolean) concat(false)}: [nodes, out]); then {@code bias}.
 * Parameters {@code name.lin.weight} [in, heads * out], {@code name.att_src} and {@code name.att_dst} [1, heads,
 * out] (Glorot uniform), {@code name.bias} (zeros). The edge index must not list self loops (one is added per node).
 */
public final class GatConv {
  /** The options: features per head, heads, concatenation, LeakyReLU slope, the weights' initializer. */
  public record Options(long out, long heads, boolean concat, double negativeSlope, Initializer weightInit) {
    /** Checks the options. */
    public Options {
      Check.option(out >= 1, "GatConv", "out must be >= 1, got " + out);
      Check.option(heads >= 1, "GatConv", "heads must be >= 1, got " + heads);
      Objects.requireNonNull(weightInit, "weightInit");
    }
  }

  private final Options o;

  private GatConv(Options o) { this.o = o; }

  /** Graph attention with {@code out} features per head and {@code heads} heads, concatenated. */
  public static GatConv of(long out, long heads) { return new GatConv(new Options(out, heads, true, 0.2, Initializers.glorotUniform())); }

  /** The options. */
  public Options options() { return o; }

  /** Concatenate the heads (true, the default) or average them. */
  public GatConv concat(boolean on) { return new GatConv(new Options(o.out, o.heads, on, o.negativeSlope, o.weightInit)); }

  /** The LeakyReLU slope of the attention scores (0.2 by default). */
  public GatConv negativeSlope(double s) { return new GatConv(new Options(o.out, o.heads, o.concat, s, o.weightInit)); }

  /** Applies the layer to node features {@code x} [nodes, in] over {@code edgeIndex} [2, edges]. */
  public <T> Tensor<T> apply(String name, Tensor<T> x, Tensor<?> edgeIndex) {
    GraphEdges edges = GraphEdges.of("GatConv '" + name + "'", x, edgeIndex);
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      long in = x.size(1);
      long hc = o.heads * o.out;
      DataType<T> dt = x.dataType();
      Tensor<T> w = m.block("lin", c -> m.parameter("weight", dt, Shape.of(in, hc), o.weightInit, in, hc));
      Tensor<T> attSrc = m.parameter("att_src", dt, Shape.of(1, o.heads, o.out), o.weightInit, o.heads, o.out);
      Tensor<T> attDst = m.parameter("att_dst", dt, Shape.of(1, o.heads, o.out), o.weightInit, o.heads, o.out);
      Tensor<T> h = x.matmul(w).reshape(-1, o.heads, o.out);                        // [N, H, C]
      Tensor<T> aSrc = h.mul(attSrc).sum(false, -1);                                // [N, H]
      Tensor<T> aDst = h.mul(attDst).sum(false, -1);
      Tensor<T> score = edges.atSource(aSrc).add(edges.atDestination(aDst)).leakyRelu(o.negativeSlope);  // [E, H]
      Tensor<T> selfScore = aSrc.add(aDst).leakyRelu(o.negativeSlope);              // [N, H]
      // NOTE: any per-node shift leaves the softmax unchanged; the max over the node's scores keeps exp <= 1.
      Tensor<T> shift = edges.max(score).maximum(selfScore);
      Tensor<T> p = score.sub(edges.atDestination(shift)).exp();
      Tensor<T> pSelf = selfScore.sub(shift).exp();
      Tensor<T> denom = edges.sum(p).add(pSelf).unsqueeze(2);                       // [N, H, 1]
      Tensor<T> num = edges.sum(edges.atSource(h).mul(p.unsqueeze(2))).add(h.mul(pSelf.unsqueeze(2)));
      Tensor<T> y = num.div(denom);
      y = o.concat ? y.reshape(-1, hc) : y.mean(false, 1);
      long outSize = o.concat ? hc : o.out;
      return y.add(m.parameter("bias", dt, Shape.of(outSize), Initializers.zeros(), in, outSize));
    });
  }

  @Override public boolean equals(Object other) { return other instanceof GatConv l && l.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("GatConv", o); }
}
