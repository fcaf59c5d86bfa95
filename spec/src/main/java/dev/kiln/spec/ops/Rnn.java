package dev.kiln.spec.ops;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Recurrent;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/**
 * A simple (Elman) recurrent layer over a whole sequence with tanh, ONNX RNN-7/14 with its default
 * activation and without clipping or {@code sequence_lens}: {@code h' = tanh(x W^T + h R^T + Wb + Rb)}.
 * Outputs {@code y} (every step's h) and {@code y_h}. A composite: exported as the native {@code RNN}
 * node, unrolled into primitives elsewhere.
 */
public final class Rnn extends Op {
  @Override public String summary() { return "tanh RNN over a sequence: y, y_h"; }

  @Override public Signature signature() { return Recurrent.signature(false, null, null, null); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    return Recurrent.inferTypes(in, attrs, 1, 2);
  }

  @Override public OnnxLowering onnx() { return OnnxLowering.of(Recurrent.onnxForm("RNN", null)); }

  @Override public TfLowering tf() { return TfLowering.unsupported("no native form; runs its decomposition"); }

  @Override public Decomposition decomposition() {
    return Recurrent.unrolled(1, true, (b, xw, hPrev, cPrev, w) -> new Value[] {
        Ops.tanh(b, Recurrent.add(b, xw, hPrev == null ? null : Ops.matMul(b, hPrev, w.rT()))),
        null});
  }
}
