package dev.kiln.interop.onnx;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.List;

/**
 * An ONNX LSTM/GRU/RNN with a run-time {@code sequence_lens} (what {@code torch.onnx} writes for
 * {@code pack_padded_sequence}): batch entry b has {@code lens[b]} valid steps, then padding. The IR's recurrent
 * composites have no ragged form, and need none for the forward direction: padding comes after the valid steps and
 * the recurrence is causal, so a run over the whole padded sequence gives every valid step's output unchanged.
 * What differs is only what ONNX defines past the end: Y is zero there (masked here with {@code t < lens[b]}), and
 * Y_h is the state at step {@code lens[b] - 1}, not at the last step (picked here with a one-hot over time, which
 * both back ends and the ONNX export run as plain ops). Y_c, the last valid cell state, is not an output of the
 * composite: a model that reads it is refused where it reads it. The reverse direction would need the reversal of
 * each entry's valid part only ({@code ReverseSequence}) around a forward run with the reverse weights; it is
 * refused for now, as is {@code layout = 1} (which {@code torch.onnx} does not write: it transposes instead).
 */
final class RaggedRecurrent {
  private RaggedRecurrent() {}

  /** Whether input 4 ({@code sequence_lens}) is given and not a constant equal to the full length everywhere. */
  static boolean isRagged(ImportContext c, long seq) {
    if (!c.hasInput(4)) return false;
    HostTensor lens = c.constant(4);
    if (lens == null || seq < 0) return true;
    for (double v : lens.toDoubles()) if (v != seq) return true;
    return false;
  }

  /** Refuses what this form cannot import, before anything is built. */
  static void check(ImportContext c, String direction, long layout, long seq) {
    if (!direction.equals("forward")) {
      throw c.unsupported("sequence_lens (ragged batches) with direction=" + direction + " is not supported (forward only)");
    }
    if (layout != 0) throw c.unsupported("sequence_lens (ragged batches) with layout=1 is not supported");
    if (seq < 0) throw c.unsupported("sequence_lens (ragged batches) needs a static sequence length, got a dynamic one");
  }

  /**
   * Defines the node's outputs from {@code outs} (Y, Y_h[, Y_c] of the run over the whole padded sequence) for
   * lengths {@code c.in(4)}; {@code seq}: the static sequence length; {@code dtype}: the outputs' element type.
   */
  static void define(ImportContext c, List<Object> outs, long seq, DType dtype) {
    OpTarget<Object> step = c.step();  // intermediate values; the node's output names go to Y and Y_h below
    Object lens = Ops.cast(step, c.in(4), DType.I64);
    // valid[t, b] = t < lens[b], as [seq, 1, batch, 1] to broadcast over Y's [seq, dirs, batch, hidden]
    long[] steps = new long[(int) seq];
    for (int t = 0; t < seq; t++) steps[t] = t;
    Object valid = Ops.less(step, HostTensor.ofLongs(steps, seq, 1), Ops.unsqueeze(step, lens, new long[] {0}));
    Object mask = Ops.unsqueeze(step, valid, new long[] {1, 3});
    Object y = outs.get(0);
    c.define(0, Ops.where(c, mask, y, HostTensor.filled(dtype, new long[0], 0.0)));
    // Y_h[0, b] = Y[lens[b] - 1, 0, b]: a one-hot over time, [seq, batch] -> [seq, 1, batch, 1], summed over time
    Object last = Ops.sub(step, lens, HostTensor.ofLongs(new long[] {1}));
    Object pick = Ops.unsqueeze(step, Ops.oneHot(step, last, seq, dtype, 0), new long[] {1, 3});
    c.define(1, Ops.reduceSum(c, Ops.mul(step, y, pick), new long[] {0}, false));
    if (outs.size() > 2) {
      c.refuse(2, "Y_c (the last valid cell state) with a run-time sequence_lens is not supported; Y and Y_h are");
    }
  }
}
