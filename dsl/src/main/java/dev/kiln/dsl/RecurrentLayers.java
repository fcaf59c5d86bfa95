package dev.kiln.dsl;

import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.SourceLocation;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Stacked recurrent layers (LSTM, GRU, tanh RNN) with PyTorch's parameter names, shapes and gate orders
 * ({@code name.weight_ih_l0 [gates*hidden, in]}, {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0},
 * {@code _reverse} for the backward direction), so a PyTorch state dict binds as is. The graph reorders the
 * gates into ONNX's order (LSTM: PyTorch i,f,g,o to ONNX i,o,f,c; GRU: r,z,n to z,r,h) and feeds one
 * {@code Lstm}/{@code Gru}/{@code Rnn} composite per layer, sequence-first.
 */
final class RecurrentLayers {
  private RecurrentLayers() {}

  /** Which cell: op name, gate count, PyTorch-to-ONNX gate permutation. */
  enum Kind {
    LSTM("Lstm", new int[] {0, 3, 1, 2}), GRU("Gru", new int[] {1, 0, 2}), RNN("Rnn", new int[] {0});

    final String op;
    final int[] onnxFromTorch;  // ONNX gate k is PyTorch gate onnxFromTorch[k]

    Kind(String op, int[] perm) {
      this.op = op;
      this.onnxFromTorch = perm;
    }

    int gates() { return onnxFromTorch.length; }
  }

  /**
   * Runs the stack. {@code x} is {@code [batch, seq, in]} when batch-first, else {@code [seq, batch, in]};
   * {@code h0}/{@code c0} (nullable) are PyTorch's {@code [layers*dirs, batch, hidden]}. Returns every step's
   * output of the last layer ({@code [batch, seq, dirs*hidden]} or {@code [seq, batch, dirs*hidden]}), or,
   * without {@code returnSequences}, the last layer's final hidden state(s) {@code [batch, dirs*hidden]}.
   */
  static <T> Tensor<T> stack(ModelBuilder m, Kind kind, String name, Tensor<T> x, long hidden, int layers, boolean batchFirst,
                             boolean bidirectional, boolean returnSequences, @org.jspecify.annotations.Nullable Tensor<T> h0, @org.jspecify.annotations.Nullable Tensor<T> c0) {
    GraphBuilder g = m.graph();
    if (layers < 1 || hidden < 1) throw new KilnException(kind.op + " '" + name + "': layers and hidden must be >= 1, got " + layers + ", " + hidden);
    if (x.rank() != 3 || !x.dim(2).isStatic()) {
      throw g.error(OpRegistry.get(kind.op), "layer '" + name + "' needs a rank-3 input with a static feature axis ("
          + (batchFirst ? "[batch, seq, in]" : "[seq, batch, in]") + "), got " + x.type(), SourceLocation.capture());
    }
    if (c0 != null && kind != Kind.LSTM) throw new KilnException(kind.op + " '" + name + "' has no cell state; pass c0 = null");
    int nd = bidirectional ? 2 : 1;
    return m.block(name, b -> {
      Value seq = x.value();
      if (batchFirst) seq = g.apply1("Transpose", Attrs.of("perm", new long[] {1, 0, 2}), seq);
      Value lastH = null;
      Value in = seq;
      for (int l = 0; l < layers; l++) {
        long inSize = in.type().shape().dim(2).size();
        List<Value> w = new ArrayList<>(), r = new ArrayList<>(), bias = new ArrayList<>();
        for (int d = 0; d < nd; d++) {
          String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
          // PyTorch's default: every weight and bias uniform in [-1/sqrt(hidden), 1/sqrt(hidden)].
          double k = 1 / Math.sqrt(hidden);
          DataType<T> dt = new DataType<>(x.dtype());
          long gh = kind.gates() * hidden;
          w.add(onnxOrder(g, kind, m.parameter("weight_ih" + sfx, dt, Shape.of(gh, inSize), Initializers.uniform(-k, k), inSize, gh).value(), hidden, 0));
          r.add(onnxOrder(g, kind, m.parameter("weight_hh" + sfx, dt, Shape.of(gh, hidden), Initializers.uniform(-k, k), hidden, gh).value(), hidden, 0));
          Value bih = onnxOrder(g, kind, m.parameter("bias_ih" + sfx, dt, Shape.of(gh), Initializers.uniform(-k, k), hidden, gh).value(), hidden, 0);
          Value bhh = onnxOrder(g, kind, m.parameter("bias_hh" + sfx, dt, Shape.of(gh), Initializers.uniform(-k, k), hidden, gh).value(), hidden, 0);
          bias.add(g.apply1("Concat", Attrs.of("axis", 0L), bih, bhh));
        }
        List<Value> ins = new ArrayList<>(List.of(in, stackDirs(g, w), stackDirs(g, r), stackDirs(g, bias)));
        if (h0 != null) ins.add(Recurrent0.layerState(g, h0.value(), l, nd));
        if (c0 != null) {
          if (h0 == null) throw new KilnException(kind.op + " '" + name + "': c0 needs h0 too");
          ins.add(Recurrent0.layerState(g, c0.value(), l, nd));
        }
        Attrs attrs = Attrs.of("direction", bidirectional ? "bidirectional" : "forward");
        if (kind == Kind.GRU) attrs = attrs.with("linear_before_reset", 1L);  // PyTorch's GRU
        List<Value> outs = g.applyNamed(OpRegistry.get(kind.op), ins, attrs, "l" + l);
        // y [seq, dirs, batch, hidden] -> [seq, batch, dirs*hidden], the next layer's input
        Value y = g.apply1("Transpose", Attrs.of("perm", new long[] {0, 2, 1, 3}), outs.get(0));
        in = g.apply1("Reshape", Attrs.of("shape", new long[] {0, 0, nd * hidden}), y);
        lastH = outs.get(1);
      }
      if (returnSequences) {
        Value out = batchFirst ? g.apply1("Transpose", Attrs.of("perm", new long[] {1, 0, 2}), in) : in;
        return m.wrap(out);
      }
      // y_h [dirs, batch, hidden] -> [batch, dirs*hidden] (PyTorch: cat(h_n[-2], h_n[-1]) when bidirectional)
      Value hb = g.apply1("Transpose", Attrs.of("perm", new long[] {1, 0, 2}), lastH);
      return m.wrap(g.apply1("Reshape", Attrs.of("shape", new long[] {0, nd * hidden}), hb));
    });
  }

  /** Reorders the gate blocks of a PyTorch [gates*hidden, ...] tensor along axis 0 into ONNX's order. */
  private static Value onnxOrder(GraphBuilder g, Kind kind, Value v, long hidden, int axis) {
    if (kind.gates() == 1) return v;
    List<Value> parts = new ArrayList<>();
    for (int src : kind.onnxFromTorch) {
      parts.add(g.apply1("Slice", Attrs.of("starts", new long[] {src * hidden}, "ends", new long[] {(src + 1) * hidden},
          "axes", new long[] {axis}), v));
    }
    return g.apply("Concat", parts, Attrs.of("axis", (long) axis)).get(0);
  }

  /** Per-direction tensors to one [dirs, ...] tensor. */
  private static Value stackDirs(GraphBuilder g, List<Value> perDir) {
    List<Value> parts = new ArrayList<>();
    for (Value v : perDir) parts.add(g.apply1("Unsqueeze", Attrs.of("axes", new long[] {0}), v));
    return parts.size() == 1 ? parts.get(0) : g.apply("Concat", parts, Attrs.of("axis", 0L)).get(0);
  }

  /** Helpers on initial states. */
  private static final class Recurrent0 {
    /** Layer {@code l}'s slice [dirs, batch, hidden] of PyTorch's [layers*dirs, batch, hidden]. */
    static Value layerState(GraphBuilder g, Value s, int l, int nd) {
      if (s.type().rank() != 3) throw new ShapeException("initial state must be [layers*dirs, batch, hidden], got " + s.type());
      return g.apply1("Slice", Attrs.of("starts", new long[] {(long) l * nd}, "ends", new long[] {(long) (l + 1) * nd},
          "axes", new long[] {0}), s);
    }
  }
}
