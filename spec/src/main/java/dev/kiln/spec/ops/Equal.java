package dev.kiln.spec.ops;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.op.Comparison;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.HostMath;
import dev.kiln.spec.op.SymInt;
import java.util.List;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;

/**
 * y = (a == b) elementwise (broadcasting), BOOL; numbers or BOOL. ONNX Equal-11 (adds floats) /
 * Equal-13; TF Equal.
 */
public final class Equal extends Comparison {
  // NOTE: exact comparison: NaN equals nothing, and -0.0 equals 0.0 (IEEE), in ONNX Runtime and TF alike.
  @Override public String summary() { return "y = (a == b) (broadcasting; BOOL)"; }

  @Override protected boolean allowsBool() { return true; }

  /**
   * Constants compared on the host (any dtype); shape values entry by entry where the answer is certain
   * ({@code batch == -1} is false, a size is never negative), else declined ({@code batch == 1}).
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      HostTensor a = in.get(0).constant();
      HostTensor b = in.get(1).constant();
      if (a != null && b != null) {
        return Folding.fits(HostMath.broadcastShape(a.shape(), b.shape())) ? List.of(Folded.of(HostMath.equal(a, b))) : null;
      }
      List<Folded> eq = Folding.entrywise(in.get(0), in.get(1), (x, y) -> {
        Boolean e = x.equalTo(y);
        return e == null ? null : SymInt.of(e ? 1 : 0);
      });
      if (eq == null) return null;
      HostTensor ones = eq.get(0).constant();
      boolean[] v = new boolean[Math.toIntExact(ones.size())];
      for (int i = 0; i < v.length; i++) v[i] = ones.getLong(i) != 0;
      return List.of(Folded.of(HostTensor.ofBooleans(v, ones.shape())));
    };
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Equal", 11), Onnx.op("Equal", 13)); }
}
