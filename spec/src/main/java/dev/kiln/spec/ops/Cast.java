package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.HostArrays;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/**
 * y = x converted to dtype {@code to}, same shape. ONNX Cast-13 (attribute {@code to} is the ONNX
 * element-type code, which the exporter writes for a {@code DType} value).
 */
public final class Cast extends Op {
  @Override public String summary() { return "y = x converted to dtype `to`"; }

  @Override public Signature signature() {
    return Signature.inputs("x").required("to", AttrKind.DTYPE, "the output dtype");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    return List.of(new TensorType(attrs.getDType("to"), in.get(0).shape()));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Cast", 13).attr("to").lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Cast").attr("to", "DstT"); }

  /**
   * Constants converted element by element where the result is defined and exact as C casts give it
   * ({@link #convert}); shape values cast to i32 or i64 keep their entries; a fill's value is converted.
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      DType to = attrs.getDType("to");
      Folded x = in.get(0);
      if (x.constant() != null) {
        HostTensor y = convert(x.constant(), to);
        return y == null ? null : List.of(Folded.of(y));
      }
      // NOTE: a symbolic entry is taken to fit the narrower dtype (a dim above 2^31 is not a real model's).
      if (x instanceof Folded.ShapeValue s) {
        return to == DType.I64 || to == DType.I32 ? List.of(Folded.ints(to, s.entries(), s.scalar())) : null;
      }
      if (x instanceof Folded.Fill f) {
        HostTensor v = convert(f.value(), to);
        return v == null ? null : List.of(Folded.fill(v, f.dims()));
      }
      return null;
    };
  }

  /**
   * {@code t} converted to {@code to} as ONNX Runtime and TF compute it, or null where that is not pinned
   * down: integers wrap to narrower integers and round to nearest into floats; floats round to nearest into
   * floats and truncate toward zero into integers (null when a value is NaN, infinite or out of the target's
   * range, which C leaves undefined); anything to BOOL is x != 0, BOOL is 0 or 1. f16, bf16 and u64 are
   * left to the runtime.
   */
  static HostTensor convert(HostTensor t, DType to) {
    DType from = t.dtype();
    if (!castable(from) || !castable(to)) return null;
    int n = Math.toIntExact(t.size());
    if (to == DType.BOOL) {
      boolean[] b = new boolean[n];
      for (int i = 0; i < n; i++) b[i] = from.isFloating() ? t.getDouble(i) != 0 : t.getLong(i) != 0;
      return HostTensor.ofBooleans(b, t.shape());
    }
    if (to.isFloating()) {
      if (to == DType.F32) {
        float[] f = new float[n];
        // NOTE: (float) of a long rounds once, correctly; going through double first could round twice.
        for (int i = 0; i < n; i++) f[i] = from.isFloating() ? (float) t.getDouble(i) : (float) t.getLong(i);
        return HostTensor.ofFloats(f, t.shape());
      }
      double[] d = new double[n];
      for (int i = 0; i < n; i++) d[i] = from.isFloating() ? t.getDouble(i) : (double) t.getLong(i);
      return HostTensor.ofDoubles(d, t.shape());
    }
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      if (!from.isFloating()) {
        v[i] = t.getLong(i);
        continue;
      }
      double x = t.getDouble(i);
      if (Double.isNaN(x) || Double.isInfinite(x)) return null;
      double tr = x < 0 ? Math.ceil(x) : Math.floor(x);
      if (!(tr >= min(to) && tr <= max(to))) return null;
      v[i] = (long) tr;
    }
    return HostArrays.ofLongs(to, v, t.shape());
  }

  private static boolean castable(DType d) { return d != DType.F16 && d != DType.BF16 && d != DType.U64; }

  private static double min(DType d) {
    return d.isUnsigned() ? 0 : -Math.pow(2, 8 * d.byteSize() - 1);
  }

  private static double max(DType d) {
    // NOTE: for i64, 2^63 - 1 is not a double; the largest double below 2^63 is the largest castable.
    return d == DType.I64 ? Math.nextDown(0x1p63) : d.isUnsigned() ? Math.pow(2, 8 * d.byteSize()) - 1 : Math.pow(2, 8 * d.byteSize() - 1) - 1;
  }

  /** dx = gy cast back to x's dtype, between floating dtypes; integer and bool sides have no gradient
   * (the autodiff driver never asks, as their values carry none). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      if (!node.input(0).type().dtype().isFloating() || !node.output().type().dtype().isFloating()) {
        return java.util.Collections.singletonList(null);
      }
      return List.of(Grad.in(b).castLike(gys.get(0), node.input(0)));
    };
  }
}
