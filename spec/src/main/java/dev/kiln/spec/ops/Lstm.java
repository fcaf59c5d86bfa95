package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Recurrent;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/**
 * A long short-term memory layer over a whole sequence, ONNX LSTM-7/14 without peepholes, clipping,
 * {@code input_forget} or {@code sequence_lens}; gates in ONNX order i, o, f, c (PyTorch's order is
 * i, f, g, o: its weights must be reordered):
 * {@code i = σ(x Wi^T + h Ri^T + bi)}, {@code o = σ(...)}, {@code f = σ(...)}, {@code g = tanh(...)},
 * {@code c' = f*c + i*g}, {@code h' = o*tanh(c')}. Outputs {@code y} (every step's h), {@code y_h}, {@code y_c}.
 * A composite: exported as the native {@code LSTM} node, unrolled into primitives elsewhere.
 */
public final class Lstm extends Op {
  @Override public String summary() { return "LSTM over a sequence (gates i,o,f,c): y, y_h, y_c"; }

  @Override public Signature signature() { return Recurrent.signature(true, null, null, null); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    return Recurrent.inferTypes(in, attrs, 4, 3);
  }

  /** f64 runs as the decomposition: ONNX Runtime's LSTM kernel is float-only ("does not support double yet"). */
  @Override public OnnxLowering onnx() { return OnnxLowering.of(Recurrent.onnxForm("LSTM", null)).decomposedFor(DType.F64); }

  @Override public TfLowering tf() { return TfLowering.unsupported("no native form; runs its decomposition"); }

  @Override public Decomposition decomposition() { return Recurrent.unrolled(4, true, Lstm::step); }

  private static Value[] step(GraphBuilder b, Value xw, Value hPrev, Value cPrev, Recurrent.Weights w) {
    Value z = Recurrent.add(b, xw, hPrev == null ? null : Ops.matMul(b, hPrev, w.rT()));
    List<Value> gates = Recurrent.gates(b, z, 4, w.hidden());
    Value i = Ops.sigmoid(b, gates.get(0));
    Value o = Ops.sigmoid(b, gates.get(1));
    Value f = Ops.sigmoid(b, gates.get(2));
    Value g = Ops.tanh(b, gates.get(3));
    Value ig = Ops.mul(b, i, g);
    Value c = cPrev == null ? ig : Ops.add(b, Ops.mul(b, f, cPrev), ig);
    Value hNew = Ops.mul(b, o, Ops.tanh(b, c));
    return new Value[] {hNew, c};
  }
}
