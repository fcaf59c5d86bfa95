package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX LSTM, GRU and RNN (opsets 7..14) onto the IR composites {@code Lstm}, {@code Gru}, {@code Rnn}, which
 * share ONNX's weight layouts and gate orders (LSTM i,o,f,c; GRU z,r,h), so weights pass through unchanged.
 * Not expressible: peepholes, {@code clip}, {@code input_forget}, activations other than the defaults. A
 * {@code sequence_lens} input that is not the full length everywhere (ragged batches, as {@code torch.onnx} writes
 * packed sequences) is imported for the forward direction by {@link RaggedRecurrent}.
 */
final class RecurrentImporters {
  private RecurrentImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("LSTM", (n, c) -> recurrent(n, c, "Lstm", 4, List.of("Sigmoid", "Tanh", "Tanh")));
    m.put("GRU", (n, c) -> recurrent(n, c, "Gru", 3, List.of("Sigmoid", "Tanh")));
    m.put("RNN", (n, c) -> recurrent(n, c, "Rnn", 1, List.of("Tanh")));
  }

  private static TensorType typeOf(Object o) {
    return ImportContext.typeOf(o);
  }

  private static void recurrent(NodeProto n, ImportContext c, String irOp, int gates, List<String> acts) {
    boolean lstm = irOp.equals("Lstm");
    boolean gru = irOp.equals("Gru");
    c.onlyAttrs("activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size",
        "input_forget", "layout", "linear_before_reset");
    if (c.attr("clip") != null) throw c.unsupported("clip is not supported");
    if (c.attrInt("input_forget", 0) != 0) throw c.unsupported("input_forget=1 is not supported");
    if (!gru && c.attr("linear_before_reset") != null) throw c.fail("linear_before_reset is a GRU attribute");
    String direction = c.attrString("direction", "forward");
    int dirs = direction.equals("bidirectional") ? 2 : 1;
    AttributeProto a = c.attr("activations");
    if (a != null) {
      for (int i = 0; i < a.getStringsCount(); i++) {
        String got = a.getStrings(i).toStringUtf8();
        String want = acts.get(i % acts.size());
        if (!got.equalsIgnoreCase(want)) throw c.unsupported("activations other than the defaults " + acts + " are not supported, got " + got);
      }
    }
    if (c.attr("activation_alpha") != null || c.attr("activation_beta") != null) {
      throw c.unsupported("activation_alpha/activation_beta are not supported");
    }
    if (lstm && c.hasInput(7)) throw c.unsupported("peepholes (input P) are not supported");
    long layout = c.attrInt("layout", 0);
    if (c.opset() < 14 && layout != 0) throw c.fail("layout needs opset 14");
    Shape r = typeOf(c.in(2)).shape();
    if (r.rank() != 3 || !r.dim(2).isStatic()) throw c.unsupported("input R must have a static hidden size, got " + r);
    long hidden = r.dim(2).size();
    long hs = c.attrInt("hidden_size", hidden);
    if (hs != hidden) throw c.fail("hidden_size " + hs + " differs from R's " + r);
    long seq = sequenceLength(c, layout);
    boolean ragged = RaggedRecurrent.isRagged(c, seq);
    if (ragged) RaggedRecurrent.check(c, direction, layout, seq);

    List<Object> ins = new ArrayList<>(List.of(c.in(0), c.in(1), c.in(2)));
    // A zero initial state that folded to a fill of a symbolic shape (ConstantOfShape of [1, batch, hidden],
    // as torch.onnx.export writes it) is the same as leaving the input out.
    boolean hasH = c.hasInput(5) && !isZeroState(c, 5);
    boolean hasC = lstm && c.hasInput(6) && !isZeroState(c, 6);
    if (c.hasInput(3)) {
      ins.add(c.in(3));
    } else if (hasH || hasC) {
      // The IR takes initial states only after a bias: a zero bias is the same as none.
      DType dt = typeOf(c.in(0)).dtype();
      ins.add(HostTensor.filled(dt, new long[] {dirs, 2L * gates * hidden}, 0.0));
    }
    if (hasH || hasC) ins.add(hasH ? c.in(5) : zeroState(c, dirs, hidden, layout));
    if (hasC) ins.add(c.in(6));

    Attrs attrs = Attrs.of("direction", direction, "layout", layout);
    if (gru) attrs = attrs.with("linear_before_reset", c.attrInt("linear_before_reset", 0));
    Object[] in = ins.toArray(new Object[6]); // absent trailing inputs are null
    // A ragged run is an intermediate step: the node's output names go to the masked values built after it.
    OpTarget<Object> t = ragged ? c.step() : c;
    List<Object> outs = lstm ? Ops.lstm(t, in[0], in[1], in[2], in[3], in[4], in[5], attrs)
        : gru ? Ops.gru(t, in[0], in[1], in[2], in[3], in[4], attrs) : Ops.rnn(t, in[0], in[1], in[2], in[3], in[4], attrs);
    if (ragged) {
      RaggedRecurrent.define(c, outs, seq, typeOf(c.in(0)).dtype());
      return;
    }
    for (int i = 0; i < outs.size(); i++) c.define(i, outs.get(i));
  }

  private static HostTensor zeroState(ImportContext c, int dirs, long hidden, long layout) {
    Shape x = typeOf(c.in(0)).shape();
    var batch = x.dim(layout == 0 ? 1 : 0);
    if (!batch.isStatic()) throw c.unsupported("initial_c without initial_h needs a static batch size");
    long[] shape = layout == 0 ? new long[] {dirs, batch.size(), hidden} : new long[] {batch.size(), dirs, hidden};
    return HostTensor.filled(typeOf(c.in(0)).dtype(), shape, 0.0);
  }

  /**
   * Whether input {@code i} is all +0: a folded fill (a zero initial state written as ConstantOfShape of a shape)
   * or a constant of zeros (torch.onnx traces a zero state as a constant of the example's batch size, then Expands
   * it to the run-time batch), so leaving the input out is the same state.
   */
  private static boolean isZeroState(ImportContext c, int i) {
    // NOTE: -0.0 is not taken for a zero state: leaving the input out means +0.0 exactly.
    Object o = c.in(i);
    if (o instanceof HostTensor t) {
      if (!t.dtype().isFloating() || t.size() > ImportContext.MAX_FOLD_ELEMENTS) return false;
      for (double v : t.toDoubles()) if (Double.compare(v, 0.0) != 0) return false;
      return true;
    }
    return o instanceof ImportContext.Symbolic s && s.value() instanceof Folded.Fill f
        && Double.compare(f.value().getDouble(0), 0.0) == 0;
  }

  /** The static sequence length of input X, or -1 when it is known only at run time. */
  private static long sequenceLength(ImportContext c, long layout) {
    var seq = typeOf(c.in(0)).shape().dim(layout == 0 ? 0 : 1);
    return seq.isStatic() ? seq.size() : -1;
  }
}
