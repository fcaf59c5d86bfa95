package dev.kiln.spec.ops;

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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gated recurrent unit layer over a whole sequence, ONNX GRU-7/14 without clipping or
 * {@code sequence_lens}; gates in ONNX order z, r, h (PyTorch's is r, z, n):
 * {@code z = σ(x Wz^T + h Rz^T + bz)}, {@code r = σ(...)},
 * {@code n = tanh(x Wh^T + Wbh + r*(h Rh^T + Rbh))} when {@code linear_before_reset} = 1 (PyTorch's GRU),
 * {@code n = tanh(x Wh^T + Wbh + (r*h) Rh^T + Rbh)} when 0 (the ONNX default); {@code h' = (1-z)*n + z*h}.
 * Outputs {@code y} (every step's h) and {@code y_h}. A composite: exported as the native {@code GRU} node,
 * unrolled into primitives elsewhere.
 */
public final class Gru extends Op {
  @Override public String summary() { return "GRU over a sequence (gates z,r,h; linear_before_reset): y, y_h"; }

  @Override public Signature signature() {
    return Recurrent.signature(false, "linear_before_reset", 0L, "1: apply r after the recurrent matmul (PyTorch); 0: before (ONNX default)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    long lbr = attrs.getLong("linear_before_reset");
    if (lbr != 0 && lbr != 1) throw new dev.kiln.spec.ShapeException("attribute linear_before_reset must be 0 or 1, got " + lbr);
    return Recurrent.inferTypes(in, attrs, 3, 2);
  }

  @Override public OnnxLowering onnx() { return OnnxLowering.of(Recurrent.onnxForm("GRU", "linear_before_reset")); }

  @Override public TfLowering tf() { return TfLowering.unsupported("no native form; runs its decomposition"); }

  @Override public Decomposition decomposition() {
    return (b, node, in) -> {
      // The recurrent weights and bias are cut into their (z, r) and h parts once per direction, at the
      // first step, and reused by the later ones.
      Map<Value, List<Value>> parts = new IdentityHashMap<>();
      return Recurrent.unrolled(3, false, (bb, xw, hPrev, cPrev, w) -> step(bb, xw, hPrev, w, parts,
          node.attrs().getLong("linear_before_reset") == 1)).expand(b, node, in);
    };
  }

  private static Value[] step(GraphBuilder b, Value xw, Value hPrev, Recurrent.Weights w, Map<Value, List<Value>> parts,
      boolean linearBeforeReset) {
    long h = w.hidden();
    // NOTE: the z and r gates see both biases; the candidate's recurrent bias Rbh sits inside or
    // outside r's product depending on linear_before_reset, so the two biases stay apart here.
    List<Value> rT = parts.computeIfAbsent(w.rT(), v -> Recurrent.split(b, v, 1, 2 * h, h));
    Value rTzr = rT.get(0), rTh = rT.get(1);
    List<Value> rb = w.rb() == null ? null : parts.computeIfAbsent(w.rb(), v -> Recurrent.split(b, v, 0, 2 * h, h));
    Value rbzr = rb == null ? null : rb.get(0), rbh = rb == null ? null : rb.get(1);
    List<Value> xwParts = Recurrent.split(b, xw, -1, 2 * h, h);
    Value zr = Recurrent.add(b, xwParts.get(0),
        Recurrent.add(b, hPrev == null ? null : Ops.matMul(b, hPrev, rTzr), rbzr));
    List<Value> zrGates = Recurrent.gates(b, zr, 2, h);
    Value z = Ops.sigmoid(b, zrGates.get(0));
    Value r = Ops.sigmoid(b, zrGates.get(1));
    Value xh = xwParts.get(1);
    Value rec;
    if (linearBeforeReset) {
      Value hr = Recurrent.add(b, hPrev == null ? null : Ops.matMul(b, hPrev, rTh), rbh);
      rec = hr == null ? null : Ops.mul(b, r, hr);
    } else {
      rec = Recurrent.add(b, hPrev == null ? null
          : Ops.matMul(b, Ops.mul(b, r, hPrev), rTh), rbh);
    }
    Value n = Ops.tanh(b, Recurrent.add(b, xh, rec));
    // h' = (1-z)*n + z*h = n + z*(h - n); with no previous state h = 0: n - z*n.
    Value hNew = hPrev == null
        ? Ops.sub(b, n, Ops.mul(b, z, n))
        : Ops.add(b, n, Ops.mul(b, z, Ops.sub(b, hPrev, n)));
    return new Value[] {hNew, null};
  }
}
