package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the stacked recurrent layers share ({@link Lstm}, {@link Gru}, {@link Rnn}): options, withers and the body, with
 * PyTorch's parameter names, shapes and gate orders ({@code name.weight_ih_l0 [gates*hidden, in]}, {@code weight_hh_l0},
 * {@code bias_ih_l0}, {@code bias_hh_l0}, {@code _reverse} for the backward direction), so a PyTorch state dict binds
 * as is. The graph reorders the gates into ONNX's order (LSTM: PyTorch i,f,g,o to ONNX i,o,f,c; GRU: r,z,n to z,r,h)
 * and feeds one {@code Lstm}/{@code Gru}/{@code Rnn} composite per layer, sequence-first. It runs unrolled on
 * TensorFlow (static sequence length) and as native nodes in ONNX (any sequence length). Defaults: 1 layer, forward,
 * batch-first input {@code [batch, seq, in]}, every step's output returned.
 *
 * @param <S> the concrete layer, which every wither returns
 */
public abstract class RecurrentLayer<S extends RecurrentLayer<S>> implements Layer {
  /** Which way the sequence is read. */
  public enum Direction { FORWARD, BIDIRECTIONAL }

  /** The input's (and a sequence output's) layout. */
  public enum Layout {
    /** {@code [batch, seq, features]} (PyTorch's {@code batch_first=True}). */
    BATCH_FIRST,
    /** {@code [seq, batch, features]} (PyTorch's default). */
    SEQUENCE_FIRST
  }

  /** What the layer returns. */
  public enum Output {
    /** Every step's output of the last layer: {@code [batch, seq, dirs*hidden]} batch-first. */
    SEQUENCE,
    /** The last layer's final hidden state(s): {@code [batch, dirs*hidden]} (PyTorch: cat(h_n[-2], h_n[-1])). */
    FINAL_STATE
  }

  /** The options: hidden width, stacked layers, direction, layout, output. */
  public record Options(long hidden, int layers, Direction direction, Layout layout, Output output) {
    /** Checks the options. */
    public Options {
      Check.option(hidden >= 1, "Recurrent", "hidden must be >= 1, got " + hidden);
      Check.option(layers >= 1, "Recurrent", "layers must be >= 1, got " + layers);
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(layout, "layout");
      Objects.requireNonNull(output, "output");
    }
  }

  private final Options o;
  private final String op;
  private final int[] onnxFromTorch;  // ONNX gate k is PyTorch gate onnxFromTorch[k]

  RecurrentLayer(String op, int[] onnxFromTorch, Options o) {
    this.op = op;
    this.onnxFromTorch = onnxFromTorch;
    this.o = o;
  }

  /** The default options for {@code hidden} units, checked against {@code layer}'s name. */
  static Options defaults(String layer, long hidden) {
    Check.option(hidden >= 1, layer, "hidden must be >= 1, got " + hidden);
    return new Options(hidden, 1, Direction.FORWARD, Layout.BATCH_FIRST, Output.SEQUENCE);
  }

  /** The same layer kind with other options. */
  abstract S with(Options options);

  /** The options. */
  public Options options() { return o; }

  /** Stacked layers, each reading the previous one's outputs. */
  public S layers(int n) {
    Check.option(n >= 1, op, "layers must be >= 1, got " + n);
    return with(new Options(o.hidden, n, o.direction, o.layout, o.output));
  }

  /** Which way the sequence is read. */
  public S direction(Direction d) { return with(new Options(o.hidden, o.layers, d, o.layout, o.output)); }

  /** Reads the sequence both ways; outputs concatenate the two directions. */
  public S bidirectional() { return direction(Direction.BIDIRECTIONAL); }

  /** The input's layout. */
  public S layout(Layout l) { return with(new Options(o.hidden, o.layers, o.direction, l, o.output)); }

  /** Input {@code [seq, batch, in]}, as PyTorch's default {@code batch_first=False}. */
  public S sequenceFirst() { return layout(Layout.SEQUENCE_FIRST); }

  /** What the layer returns. */
  public S output(Output out) { return with(new Options(o.hidden, o.layers, o.direction, o.layout, out)); }

  /** Returns the last layer's final hidden state(s) {@code [batch, dirs*hidden]} instead of every step's output. */
  public S finalState() { return output(Output.FINAL_STATE); }

  /** The stack on {@code x}, from zero initial states. */
  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) { return stack(name, x, null, null); }

  /**
   * Runs the stack. {@code h0}/{@code c0} (nullable: zeros) are PyTorch's {@code [layers*dirs, batch, hidden]}.
   */
  <T> Tensor<T> stack(String name, Tensor<T> x, @Nullable Tensor<T> h0, @Nullable Tensor<T> c0) {
    ModelBuilder m = x.builder();
    GraphBuilder g = m.graph();
    boolean batchFirst = o.layout == Layout.BATCH_FIRST;
    if (x.rank() != 3 || !x.dim(2).isStatic()) {
      throw Check.input(x, op, "layer '" + name + "' needs a rank-3 input with a static feature axis ("
          + (batchFirst ? "[batch, seq, in]" : "[seq, batch, in]") + "), got " + x.type());
    }
    if (c0 != null && h0 == null) throw new KilnException(op + " '" + name + "': c0 needs h0 too");
    long hidden = o.hidden;
    int nd = o.direction == Direction.BIDIRECTIONAL ? 2 : 1;
    return m.block(name, b -> {
      Value seq = x.value();
      if (batchFirst) seq = Ops.transpose(g, seq, new long[] {1, 0, 2});
      Value lastH = null;
      Value in = seq;
      for (int l = 0; l < o.layers; l++) {
        long inSize = in.type().shape().dim(2).size();
        List<Value> w = new ArrayList<>(), r = new ArrayList<>(), bias = new ArrayList<>();
        for (int d = 0; d < nd; d++) {
          String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
          // PyTorch's default: every weight and bias uniform in [-1/sqrt(hidden), 1/sqrt(hidden)].
          double k = 1 / Math.sqrt(hidden);
          DataType<T> dt = x.dataType();
          long gh = onnxFromTorch.length * hidden;
          w.add(onnxOrder(g, m.parameter("weight_ih" + sfx, dt, Shape.of(gh, inSize), Initializers.uniform(-k, k), inSize, gh).value()));
          r.add(onnxOrder(g, m.parameter("weight_hh" + sfx, dt, Shape.of(gh, hidden), Initializers.uniform(-k, k), hidden, gh).value()));
          Value bih = onnxOrder(g, m.parameter("bias_ih" + sfx, dt, Shape.of(gh), Initializers.uniform(-k, k), hidden, gh).value());
          Value bhh = onnxOrder(g, m.parameter("bias_hh" + sfx, dt, Shape.of(gh), Initializers.uniform(-k, k), hidden, gh).value());
          bias.add(Ops.concat(g, List.of(bih, bhh), 0L));
        }
        List<Value> ins = new ArrayList<>(List.of(in, stackDirs(g, w), stackDirs(g, r), stackDirs(g, bias)));
        if (h0 != null) ins.add(layerState(x, h0.value(), l, nd));
        if (c0 != null) ins.add(layerState(x, c0.value(), l, nd));
        Attrs attrs = Attrs.of("direction", nd == 2 ? "bidirectional" : "forward");
        if (op.equals("Gru")) attrs = attrs.with("linear_before_reset", 1L);  // PyTorch's GRU
        List<Value> outs = g.applyNamed(OpRegistry.get(op), ins, attrs, "l" + l);
        // y [seq, dirs, batch, hidden] -> [seq, batch, dirs*hidden], the next layer's input
        Value y = Ops.transpose(g, outs.get(0), new long[] {0, 2, 1, 3});
        in = Ops.reshape(g, y, new long[] {0, 0, nd * hidden});
        lastH = outs.get(1);
      }
      if (o.output == Output.SEQUENCE) {
        Value out = batchFirst ? Ops.transpose(g, in, new long[] {1, 0, 2}) : in;
        return m.tensor(out);
      }
      // y_h [dirs, batch, hidden] -> [batch, dirs*hidden] (PyTorch: cat(h_n[-2], h_n[-1]) when bidirectional)
      Value hb = Ops.transpose(g, lastH, new long[] {1, 0, 2});
      return m.tensor(Ops.reshape(g, hb, new long[] {0, nd * hidden}));
    });
  }

  /** Reorders the gate blocks of a PyTorch [gates*hidden, ...] tensor along axis 0 into ONNX's order. */
  private Value onnxOrder(GraphBuilder g, Value v) {
    if (onnxFromTorch.length == 1) return v;
    long hidden = o.hidden;
    List<Value> parts = new ArrayList<>();
    for (int src : onnxFromTorch) {
      parts.add(Ops.slice(g, v, new long[] {src * hidden}, new long[] {(src + 1) * hidden}, new long[] {0}, new long[0]));
    }
    return Ops.concat(g, parts, 0L);
  }

  /** Per-direction tensors to one [dirs, ...] tensor. */
  private static Value stackDirs(GraphBuilder g, List<Value> perDir) {
    List<Value> parts = new ArrayList<>();
    for (Value v : perDir) parts.add(Ops.unsqueeze(g, v, new long[] {0}));
    return parts.size() == 1 ? parts.get(0) : Ops.concat(g, parts, 0L);
  }

  /** Layer {@code l}'s slice [dirs, batch, hidden] of PyTorch's [layers*dirs, batch, hidden]. */
  private Value layerState(Tensor<?> x, Value s, int l, int nd) {
    if (s.type().rank() != 3) throw Check.input(x, op, "initial state must be [layers*dirs, batch, hidden], got " + s.type());
    return Ops.slice(x.builder().graph(), s, new long[] {(long) l * nd}, new long[] {(long) (l + 1) * nd}, new long[] {0}, new long[0]);
  }

  @Override public boolean equals(Object other) {
    return other != null && other.getClass() == getClass() && ((RecurrentLayer<?>) other).o.equals(o);
  }

  @Override public int hashCode() { return o.hashCode() * 31 + getClass().hashCode(); }

  @Override public String toString() { return Check.show(getClass().getSimpleName(), o); }
}
